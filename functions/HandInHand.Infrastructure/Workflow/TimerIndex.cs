using System.Globalization;
using Azure;
using Azure.Data.Tables;
using HandInHand.Domain.Lifecycle;
using HandInHand.Infrastructure.Storage;

namespace HandInHand.Infrastructure.Workflow;

/// <summary>A row of the due-time index: a timer (or an outbox to drain) of one referral.</summary>
/// <param name="Kind">A <see cref="TimerKind"/> name, or <see cref="TimerIndex.OutboxKind"/>.</param>
/// <param name="Version">The referral version whose commit set it: until the state reaches it, the commit may still be in flight.</param>
public sealed record DueEntry(string Reference, string Kind, DateTimeOffset DueAt, long Version, DateTimeOffset CreatedAt, DateTimeOffset? LeaseUntil, string PartitionKey, string RowKey, ETag ETag);

/// <summary>
/// The due-time index: where the dispatcher finds what is due without looking at any referral
/// that has nothing due. Rows are spread over a few partitions by reference and ordered by due
/// time inside each, so finding the due rows reads only those rows.
/// </summary>
/// <remarks>
/// An index row is written before the step that sets its timer is committed, so no committed
/// timer lacks a row. A row whose step never landed, or whose timer was later cancelled, is
/// found when due, recognised as stale and deleted: nothing grows without bound.
/// </remarks>
public sealed class TimerIndex
{
    /// <summary>The kind of a row that asks for a referral's outbox to be drained.</summary>
    public const string OutboxKind = "Outbox";

    private readonly GuardedTableClient _table;
    private readonly int _shards;

    public TimerIndex(TableProvider tables, int shards = 4)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentOutOfRangeException.ThrowIfLessThan(shards, 1);
        _table = tables.Get(WorkflowTables.Timers);
        _shards = shards;
    }

    /// <summary>Writes (or rewrites) index rows; rows of one shard go in transactions of up to 100.</summary>
    public async Task AddAsync(string reference, IEnumerable<(string Kind, DateTimeOffset DueAt)> entries, long version, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var shard = ShardOf(reference);
        var rows = entries.Select(e => new TableEntity(shard, RowKeyOf(e.DueAt, reference, e.Kind))
        {
            ["Reference"] = reference,
            ["Kind"] = e.Kind,
            ["DueAt"] = e.DueAt,
            ["Version"] = version,
            ["CreatedAt"] = now,
        }).DistinctBy(r => r.RowKey).ToList();
        foreach (var chunk in rows.Chunk(100))
        {
            await _table.SubmitTransactionAsync(chunk.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r)), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Writes index rows for many referrals at once, grouped by shard into transactions of up to
    /// 100: for loading data in bulk (migrations, benchmarks), where one transaction per referral
    /// would be most of the cost.
    /// </summary>
    public async Task AddManyAsync(IEnumerable<(string Reference, string Kind, DateTimeOffset DueAt, long Version)> entries, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var rows = entries.Select(e => new TableEntity(ShardOf(e.Reference), RowKeyOf(e.DueAt, e.Reference, e.Kind))
        {
            ["Reference"] = e.Reference,
            ["Kind"] = e.Kind,
            ["DueAt"] = e.DueAt,
            ["Version"] = e.Version,
            ["CreatedAt"] = now,
        }).DistinctBy(r => (r.PartitionKey, r.RowKey));
        foreach (var shard in rows.GroupBy(r => r.PartitionKey, StringComparer.Ordinal))
        {
            foreach (var chunk in shard.Chunk(100))
            {
                await _table.SubmitTransactionAsync(chunk.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r)), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Rows due at or before <paramref name="now"/>, oldest first within each shard, at most <paramref name="max"/> per shard.</summary>
    public async Task<IReadOnlyList<DueEntry>> QueryDueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default)
    {
        var upTo = string.Create(CultureInfo.InvariantCulture, $"{now.UtcTicks:D19}|~");
        var due = new List<DueEntry>();
        for (var s = 0; s < _shards; s++)
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Shard(s)} and RowKey le {upTo}");
            var taken = 0;
            await foreach (var row in _table.QueryAsync(filter, pageSize: Math.Min(max, 1000), cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                due.Add(ToEntry(row));
                if (++taken >= max)
                {
                    break;
                }
            }
        }

        return due;
    }

    /// <summary>Takes a row for <paramref name="leaseFor"/>, so that other dispatchers skip it meanwhile. False when another took it first.</summary>
    public async Task<DueEntry?> TryLeaseAsync(DueEntry entry, DateTimeOffset now, TimeSpan leaseFor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.LeaseUntil > now)
        {
            return null;
        }

        var update = new TableEntity(entry.PartitionKey, entry.RowKey) { ["LeaseUntil"] = now + leaseFor };
        try
        {
            var etag = await _table.UpdateEntityAsync(update, entry.ETag, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
            return entry with { LeaseUntil = now + leaseFor, ETag = etag };
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            return null;
        }
    }

    /// <summary>Deletes a row this dispatcher holds; if it was rewritten meanwhile (a newer step set it again), it stays.</summary>
    public async Task DeleteAsync(DueEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        try
        {
            await _table.DeleteEntityAsync(entry.PartitionKey, entry.RowKey, entry.ETag, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
        }
    }

    /// <summary>Counts the rows in the index (tests and checks).</summary>
    public async Task<int> CountAsync(CancellationToken cancellationToken = default)
    {
        var count = 0;
        await foreach (var _ in _table.QueryAsync(select: ["PartitionKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            count++;
        }

        return count;
    }

    private string ShardOf(string reference)
    {
        // A stable hash (string.GetHashCode is randomised per process).
        var hash = 0u;
        foreach (var c in reference)
        {
            hash = (hash * 31) + c;
        }

        return Shard((int)(hash % (uint)_shards));
    }

    private static string Shard(int n) => string.Create(CultureInfo.InvariantCulture, $"due-{n:D2}");

    private static string RowKeyOf(DateTimeOffset dueAt, string reference, string kind) =>
        string.Create(CultureInfo.InvariantCulture, $"{dueAt.UtcTicks:D19}|{reference}|{kind}");

    private static DueEntry ToEntry(TableEntity row) => new(
        row.GetString("Reference") ?? string.Empty,
        row.GetString("Kind") ?? string.Empty,
        row.GetDateTimeOffset("DueAt") ?? default,
        row.GetInt64("Version") ?? 0,
        row.GetDateTimeOffset("CreatedAt") ?? default,
        row.GetDateTimeOffset("LeaseUntil"),
        row.PartitionKey,
        row.RowKey,
        row.ETag);
}
