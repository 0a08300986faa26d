using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using HandInHand.Infrastructure.Storage;

namespace HandInHand.Infrastructure.Workflow;

/// <summary>A practitioner as the workflow sees them: an id, a display name for staff, the regions they cover and their capacity.</summary>
public sealed record Practitioner(string Id, string DisplayName, IReadOnlyList<string> Regions, int Capacity, bool Active = true);

/// <summary>A practitioner with the number of caseload places they hold.</summary>
public sealed record CaseloadCount(Practitioner Practitioner, int Held);

/// <summary>
/// Practitioners held as data (seeded from configuration, then changed through the staff API).
/// </summary>
/// <remarks>
/// A practitioner's entry is their row in the caseload ledger, <c>count|{id}</c>, beside the count
/// of places they hold (<see cref="CaseloadLedger"/>): the directory writes only its own columns
/// (merged) and the ledger only the count, so the pages that show caseloads against capacity read
/// one range. A ledger row without a name is a count alone, not a practitioner. Until 2026-12-03
/// the entries were in their own table, <c>Practitioners</c>: <see cref="AdoptRetiredTableAsync"/>
/// moves what is left there.
/// </remarks>
public sealed class PractitionerDirectory
{
    /// <summary>The table that held the entries until 2026-12-03 (before the configured prefix).</summary>
    public const string RetiredTable = "Practitioners";

    private const string RetiredPartition = "practitioner";
    private const string NameColumn = "DisplayName";
    private static readonly string[] Columns = [NameColumn, "Regions", "Capacity", "Active"];
    private static readonly string[] ColumnsAndCount = [.. Columns, CaseloadLedger.HeldColumn];

    private readonly GuardedTableClient _table;
    private readonly GuardedTableClient _retired;

    public PractitionerDirectory(TableProvider tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        _table = tables.Get(WorkflowTables.Caseloads);
        _retired = tables.Get(RetiredTable);
    }

    /// <summary>Adds each practitioner that is not there yet; existing ones keep what staff changed.</summary>
    public async Task SeedAsync(IEnumerable<Practitioner> practitioners, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(practitioners);
        foreach (var p in practitioners)
        {
            await AddAsync(p, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Moves each entry left in the table the directory used until 2026-12-03 into the ledger (an
    /// entry already there keeps what it holds), then drops that table. Safe to run again, and by
    /// two instances at once; an absent table is nothing to move.
    /// </summary>
    public async Task AdoptRetiredTableAsync(CancellationToken cancellationToken = default)
    {
        var rows = new List<TableEntity>();
        try
        {
            await foreach (var row in _retired.QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {RetiredPartition}"), cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                rows.Add(row);
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return;
        }

        foreach (var row in rows)
        {
            await AddAsync(FromEntity(row, row.RowKey), cancellationToken).ConfigureAwait(false);
        }

        await _retired.DeleteTableAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates or replaces a practitioner. Last write wins on purpose: the manager's latest word on capacity is the one that counts.</summary>
    public Task SaveAsync(Practitioner practitioner, CancellationToken cancellationToken = default) =>
        _table.UpsertEntityAsync(ToEntity(practitioner), TableUpdateMode.Merge, cancellationToken);

    /// <summary>
    /// Adds a practitioner who is not there yet: false, and nothing written, when the staff id is
    /// taken (a new practitioner never replaces someone else's record, however the two requests race).
    /// A ledger row that holds a count alone takes the entry, on condition that it is as read.
    /// </summary>
    public async Task<bool> AddAsync(Practitioner practitioner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(practitioner);
        var entry = ToEntity(practitioner);
        while (true)
        {
            var row = await _table.GetEntityIfExistsAsync(CaseloadLedger.Partition, entry.RowKey, [NameColumn], cancellationToken).ConfigureAwait(false);
            if (row?.GetString(NameColumn) is not null)
            {
                return false;
            }

            try
            {
                if (row is null)
                {
                    await _table.AddEntityAsync(entry, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await _table.UpdateEntityAsync(entry, row.ETag, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
                }

                return true;
            }
            catch (RequestFailedException ex) when (ex.Status is 404 or 409 or 412)
            {
                // The row changed between the read and the write: read it again.
            }
        }
    }

    public async Task<Practitioner?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(id))
        {
            return null;
        }

        var row = await _table.GetEntityIfExistsAsync(CaseloadLedger.Partition, CaseloadLedger.CountRows + id, Columns, cancellationToken).ConfigureAwait(false);
        return row?.GetString(NameColumn) is null ? null : FromEntity(row);
    }

    public async Task<IReadOnlyList<Practitioner>> ListAsync(CancellationToken cancellationToken = default) =>
        [.. (await ListWithCaseloadsAsync(cancellationToken).ConfigureAwait(false)).Select(c => c.Practitioner)];

    /// <summary>Each practitioner, in id order, with the number of places they hold: one range of the ledger, a row per practitioner.</summary>
    public async Task<IReadOnlyList<CaseloadCount>> ListWithCaseloadsAsync(CancellationToken cancellationToken = default)
    {
        var list = new List<CaseloadCount>();
        await foreach (var row in _table.QueryAsync(CaseloadLedger.Range(CaseloadLedger.CountRows), ColumnsAndCount, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (row.GetString(NameColumn) is not null)
            {
                list.Add(new CaseloadCount(FromEntity(row), row.GetInt32(CaseloadLedger.HeldColumn) ?? 0));
            }
        }

        return list;
    }

    private static TableEntity ToEntity(Practitioner p) => new(CaseloadLedger.Partition, CaseloadLedger.CountRows + p.Id)
    {
        [NameColumn] = p.DisplayName,
        ["Regions"] = JsonSerializer.Serialize(p.Regions),
        ["Capacity"] = p.Capacity,
        ["Active"] = p.Active,
    };

    /// <summary>A practitioner from their ledger row, <c>count|{id}</c>.</summary>
    private static Practitioner FromEntity(TableEntity row) => FromEntity(row, row.RowKey[CaseloadLedger.CountRows.Length..]);

    private static Practitioner FromEntity(TableEntity row, string id) => new(
        id,
        row.GetString(NameColumn) ?? id,
        JsonSerializer.Deserialize<string[]>(row.GetString("Regions") ?? "[]") ?? [],
        row.GetInt32("Capacity") ?? 0,
        row.GetBoolean("Active") ?? true);
}
