using System.Globalization;
using Azure;
using Azure.Data.Tables;
using HandInHand.Infrastructure.Storage;

namespace HandInHand.Infrastructure.Workflow;

/// <summary>A caseload place: which referral holds it and since when.</summary>
public sealed record CaseloadPlace(string PractitionerId, string RowKey, string Reference, DateTimeOffset ReservedAt);

/// <summary>
/// Each practitioner's caseload as numbered places (<c>place-001</c> … up to their capacity):
/// taking a place is an insert of that place's row, so two allocations racing for a practitioner's
/// last place cannot both win. A place is taken before the referral is allocated and freed after
/// it stops being held; a place taken by an allocation that then failed is found and freed when
/// it is older than the grace period and its referral is not held by that practitioner.
/// </summary>
public sealed class CaseloadLedger
{
    private const string PlacePrefix = "place-";
    private const string OverridePrefix = "override-";
    private readonly GuardedTableClient _table;

    public CaseloadLedger(TableProvider tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        _table = tables.Get(WorkflowTables.Caseloads);
    }

    public async Task<IReadOnlyList<CaseloadPlace>> ListAsync(string practitionerId, CancellationToken cancellationToken = default)
    {
        var places = new List<CaseloadPlace>();
        await foreach (var row in _table.QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {practitionerId}"), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            places.Add(Place(row));
        }

        return places;
    }

    /// <summary>Every practitioner's places, by practitioner id, in one query over the ledger (which holds only taken places).</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<CaseloadPlace>>> ListAllAsync(CancellationToken cancellationToken = default)
    {
        var places = new Dictionary<string, List<CaseloadPlace>>(StringComparer.Ordinal);
        await foreach (var row in _table.QueryAsync(filter: null, ["Reference", "ReservedAt"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (!places.TryGetValue(row.PartitionKey, out var held))
            {
                places[row.PartitionKey] = held = [];
            }

            held.Add(Place(row));
        }

        return places.ToDictionary(p => p.Key, p => (IReadOnlyList<CaseloadPlace>)p.Value, StringComparer.Ordinal);
    }

    /// <summary>Takes a free place for <paramref name="reference"/> within <paramref name="capacity"/>; true if the referral now holds one.</summary>
    public async Task<bool> TryReserveAsync(string practitionerId, string reference, int capacity, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var places = await ListAsync(practitionerId, cancellationToken).ConfigureAwait(false);
        if (places.Any(p => p.Reference == reference))
        {
            return true;
        }

        var taken = places.Select(p => p.RowKey).ToHashSet(StringComparer.Ordinal);
        if (places.Count >= capacity)
        {
            return false;
        }

        for (var n = 1; n <= capacity; n++)
        {
            var key = string.Create(CultureInfo.InvariantCulture, $"{PlacePrefix}{n:D3}");
            if (taken.Contains(key))
            {
                continue;
            }

            if (await TryAddAsync(practitionerId, key, reference, now, cancellationToken).ConfigureAwait(false))
            {
                await KeepOnePlaceAsync(practitionerId, reference, cancellationToken).ConfigureAwait(false);
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Concurrent reservations for one referral (two offers of freed places at once, or an inline
    /// drain racing the dispatcher's) each see it holding nothing and each take a place. After
    /// taking one, a reservation keeps only the referral's lowest-keyed place and frees the rest:
    /// every reservation that sees more than one makes the same choice, and the last one to look
    /// sees them all, so the referral ends up holding exactly one.
    /// </summary>
    private async Task KeepOnePlaceAsync(string practitionerId, string reference, CancellationToken cancellationToken)
    {
        var held = (await ListAsync(practitionerId, cancellationToken).ConfigureAwait(false))
            .Where(p => p.Reference == reference)
            .OrderBy(p => p.RowKey, StringComparer.Ordinal)
            .Skip(1);
        foreach (var extra in held)
        {
            try
            {
                await _table.DeleteEntityAsync(practitionerId, extra.RowKey, ETag.All, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
            }
        }
    }

    /// <summary>The manager's override: the referral takes a place whatever the capacity.</summary>
    public async Task ReserveOverCapacityAsync(string practitionerId, string reference, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var places = await ListAsync(practitionerId, cancellationToken).ConfigureAwait(false);
        if (places.All(p => p.Reference != reference))
        {
            await TryAddAsync(practitionerId, OverridePrefix + reference, reference, now, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Frees every place <paramref name="reference"/> holds with this practitioner; freeing a free place is fine.</summary>
    public async Task ReleaseAsync(string practitionerId, string reference, CancellationToken cancellationToken = default)
    {
        foreach (var place in (await ListAsync(practitionerId, cancellationToken).ConfigureAwait(false)).Where(p => p.Reference == reference))
        {
            try
            {
                await _table.DeleteEntityAsync(practitionerId, place.RowKey, ETag.All, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
            }
        }
    }

    private static CaseloadPlace Place(TableEntity row) =>
        new(row.PartitionKey, row.RowKey, row.GetString("Reference") ?? string.Empty, row.GetDateTimeOffset("ReservedAt") ?? default);

    private async Task<bool> TryAddAsync(string practitionerId, string key, string reference, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            await _table.AddEntityAsync(new TableEntity(practitionerId, key) { ["Reference"] = reference, ["ReservedAt"] = now }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }
}
