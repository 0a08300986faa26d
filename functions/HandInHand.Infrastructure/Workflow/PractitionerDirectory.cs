using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using HandInHand.Infrastructure.Storage;

namespace HandInHand.Infrastructure.Workflow;

/// <summary>A practitioner as the workflow sees them: an id, a display name for staff, the regions they cover and their capacity.</summary>
public sealed record Practitioner(string Id, string DisplayName, IReadOnlyList<string> Regions, int Capacity, bool Active = true);

/// <summary>Practitioners held as data (seeded from configuration, then changed through the staff API).</summary>
public sealed class PractitionerDirectory
{
    private const string Partition = "practitioner";
    private readonly GuardedTableClient _table;

    public PractitionerDirectory(TableProvider tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        _table = tables.Get(WorkflowTables.Practitioners);
    }

    /// <summary>Adds each practitioner that is not there yet; existing ones keep what staff changed.</summary>
    public async Task SeedAsync(IEnumerable<Practitioner> practitioners, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(practitioners);
        foreach (var p in practitioners)
        {
            try
            {
                await _table.AddEntityAsync(ToEntity(p), cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.Status == 409)
            {
            }
        }
    }

    /// <summary>Creates or replaces a practitioner. Last write wins on purpose: the manager's latest word on capacity is the one that counts.</summary>
    public Task SaveAsync(Practitioner practitioner, CancellationToken cancellationToken = default) =>
        _table.UpsertEntityAsync(ToEntity(practitioner), TableUpdateMode.Replace, cancellationToken);

    /// <summary>
    /// Adds a practitioner who is not there yet: false, and nothing written, when the staff id is
    /// taken (a new practitioner never replaces someone else's record, however the two requests race).
    /// </summary>
    public async Task<bool> AddAsync(Practitioner practitioner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(practitioner);
        try
        {
            await _table.AddEntityAsync(ToEntity(practitioner), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    public async Task<Practitioner?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        var row = await _table.GetEntityIfExistsAsync(Partition, id, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row is null ? null : FromEntity(row);
    }

    public async Task<IReadOnlyList<Practitioner>> ListAsync(CancellationToken cancellationToken = default)
    {
        var list = new List<Practitioner>();
        await foreach (var row in _table.QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {Partition}"), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            list.Add(FromEntity(row));
        }

        return list;
    }

    private static TableEntity ToEntity(Practitioner p) => new(Partition, p.Id)
    {
        ["DisplayName"] = p.DisplayName,
        ["Regions"] = JsonSerializer.Serialize(p.Regions),
        ["Capacity"] = p.Capacity,
        ["Active"] = p.Active,
    };

    private static Practitioner FromEntity(TableEntity row) => new(
        row.RowKey,
        row.GetString("DisplayName") ?? row.RowKey,
        JsonSerializer.Deserialize<string[]>(row.GetString("Regions") ?? "[]") ?? [],
        row.GetInt32("Capacity") ?? 0,
        row.GetBoolean("Active") ?? true);
}
