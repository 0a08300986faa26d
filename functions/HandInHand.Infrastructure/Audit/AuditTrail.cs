using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using HandInHand.Infrastructure.Storage;

namespace HandInHand.Infrastructure.Audit;

/// <summary>Something to put on the record: who, in what role, did what to which record, with what outcome.</summary>
/// <param name="RecordId">The record touched: a referral's reference, or a name such as <c>export</c>.</param>
/// <param name="Action">What was done, e.g. <c>read</c>, <c>accept</c>, <c>export-csv</c>.</param>
/// <param name="Outcome">e.g. <c>allowed</c>, <c>refused</c>, <c>rejected</c>.</param>
public sealed record AuditEvent(string RecordId, string ActorId, string Role, string Action, string Outcome, DateTimeOffset At);

/// <summary>An entry of a record's audit chain: the event, its place, and the hashes that chain it.</summary>
public sealed record AuditEntry(AuditEvent Event, long Sequence, string PreviousHash, string Hash);

/// <summary>The result of checking one record's chain: intact, or the first entry whose link is broken.</summary>
public sealed record AuditVerification(string RecordId, long Entries, long? FirstBrokenSequence, string? Problem)
{
    public bool Intact => FirstBrokenSequence is null;
}

/// <summary>
/// The append-only, tamper-evident audit trail. Each record has its own chain in its own
/// partition: entry <c>n</c> carries SHA-256 over its content and entry <c>n-1</c>'s hash, and a
/// head row holds the last sequence and hash. An append writes the new entry and moves the head
/// in one transaction, conditional on the head's ETag, so concurrent appends serialise instead of
/// forking the chain. This class has no way to change or delete an entry; the verification reads
/// a chain back and names the first entry that does not fit.
/// </summary>
public sealed class AuditTrail
{
    private const string HeadRow = "head";
    private const string EntryPrefix = "entry|";
    private const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";
    private readonly GuardedTableClient _table;

    public AuditTrail(GuardedTableClient table)
    {
        ArgumentNullException.ThrowIfNull(table);
        _table = table;
    }

    public async Task<AuditEntry> AppendAsync(AuditEvent e, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentException.ThrowIfNullOrEmpty(e.RecordId);
        for (var attempt = 0; ; attempt++)
        {
            var head = await _table.GetEntityIfExistsAsync(e.RecordId, HeadRow, cancellationToken: cancellationToken).ConfigureAwait(false);
            var sequence = (head?.GetInt64("Sequence") ?? 0) + 1;
            var previous = head?.GetString("Hash") ?? Genesis;
            var hash = HashOf(e, sequence, previous);
            var newHead = new TableEntity(e.RecordId, HeadRow) { ["Sequence"] = sequence, ["Hash"] = hash };
            TableTransactionAction[] actions =
            [
                head is null
                    ? new TableTransactionAction(TableTransactionActionType.Add, newHead)
                    : new TableTransactionAction(TableTransactionActionType.UpdateReplace, newHead, head.ETag),
                new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(e.RecordId, EntryKey(sequence))
                {
                    ["At"] = e.At,
                    ["ActorId"] = e.ActorId,
                    ["Role"] = e.Role,
                    ["Action"] = e.Action,
                    ["Outcome"] = e.Outcome,
                    ["PreviousHash"] = previous,
                    ["Hash"] = hash,
                }),
            ];
            try
            {
                await _table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
                return new AuditEntry(e, sequence, previous, hash);
            }
            catch (TableTransactionFailedException ex) when (ex.Status is 412 or 409 && attempt < 50)
            {
                // Another append to this record landed first: chain onto it instead.
                await Task.Delay(Random.Shared.Next(1, 5 + (5 * Math.Min(attempt, 10))), cancellationToken).ConfigureAwait(false);
            }
            catch (TableOutcomeUnknownException) when (attempt < 50)
            {
                // The answer was lost. The transaction is all or nothing, so its entry row says
                // which: there with this hash, it landed; otherwise (absent, or another append's
                // entry) nothing of it did, and the append starts again from the head.
                var landed = await _table.GetEntityIfExistsAsync(e.RecordId, EntryKey(sequence), cancellationToken: cancellationToken).ConfigureAwait(false);
                if (landed?.GetString("Hash") == hash)
                {
                    return new AuditEntry(e, sequence, previous, hash);
                }
            }
        }
    }

    /// <summary>A record's chain, oldest first: the "who accessed this record" view.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ReadAsync(string recordId, CancellationToken cancellationToken = default)
    {
        var entries = new List<AuditEntry>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {recordId} and RowKey gt {EntryPrefix} and RowKey lt {EntryPrefix + "~"}");
        await foreach (var row in _table.QueryAsync(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            entries.Add(new AuditEntry(
                new AuditEvent(recordId, row.GetString("ActorId") ?? string.Empty, row.GetString("Role") ?? string.Empty, row.GetString("Action") ?? string.Empty, row.GetString("Outcome") ?? string.Empty, row.GetDateTimeOffset("At") ?? default),
                long.Parse(row.RowKey[EntryPrefix.Length..], CultureInfo.InvariantCulture),
                row.GetString("PreviousHash") ?? string.Empty,
                row.GetString("Hash") ?? string.Empty));
        }

        return entries;
    }

    /// <summary>Checks a record's chain: each entry's hash, its link to the one before, no gaps, and the head.</summary>
    public async Task<AuditVerification> VerifyAsync(string recordId, CancellationToken cancellationToken = default)
    {
        var entries = await ReadAsync(recordId, cancellationToken).ConfigureAwait(false);
        var previous = Genesis;
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            string? problem = entry.Sequence != i + 1 ? $"entry {i + 1} is missing"
                : entry.PreviousHash != previous ? "its link to the previous entry is broken"
                : entry.Hash != HashOf(entry.Event, entry.Sequence, previous) ? "its content does not match its hash"
                : null;
            if (problem is not null)
            {
                return new AuditVerification(recordId, entries.Count, Math.Min(entry.Sequence, i + 1), problem);
            }

            previous = entry.Hash;
        }

        var head = await _table.GetEntityIfExistsAsync(recordId, HeadRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        if ((head?.GetInt64("Sequence") ?? 0) != entries.Count || (head?.GetString("Hash") ?? Genesis) != previous)
        {
            return new AuditVerification(recordId, entries.Count, entries.Count + 1, "the chain's last entries were removed");
        }

        return new AuditVerification(recordId, entries.Count, null, null);
    }

    /// <summary>Checks every record's chain.</summary>
    public async Task<IReadOnlyList<AuditVerification>> VerifyAllAsync(CancellationToken cancellationToken = default)
    {
        var records = new List<string>();
        await foreach (var row in _table.QueryAsync(TableClient.CreateQueryFilter($"RowKey eq {HeadRow}"), ["PartitionKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            records.Add(row.PartitionKey);
        }

        var results = new List<AuditVerification>();
        foreach (var record in records)
        {
            results.Add(await VerifyAsync(record, cancellationToken).ConfigureAwait(false));
        }

        return results;
    }

    private static string EntryKey(long sequence) => string.Create(CultureInfo.InvariantCulture, $"{EntryPrefix}{sequence:D12}");

    /// <summary>SHA-256 over every field, length-prefixed so no two different entries can read alike.</summary>
    private static string HashOf(AuditEvent e, long sequence, string previousHash)
    {
        var text = new StringBuilder();
        foreach (var field in new[]
        {
            e.RecordId, sequence.ToString(CultureInfo.InvariantCulture), e.At.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            e.ActorId, e.Role, e.Action, e.Outcome, previousHash,
        })
        {
            text.Append(field.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(field).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
