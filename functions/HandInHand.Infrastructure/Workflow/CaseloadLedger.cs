using System.Globalization;
using Azure;
using Azure.Data.Tables;
using HandInHand.Infrastructure.Storage;

namespace HandInHand.Infrastructure.Workflow;

/// <summary>A caseload place: which referral holds it and since when.</summary>
public sealed record CaseloadPlace(string PractitionerId, string RowKey, string Reference, DateTimeOffset ReservedAt);

/// <summary>
/// Each practitioner's caseload as numbered places (<c>place-001</c> … up to their capacity), and
/// the number of places each holds. A place is taken before the referral is allocated and freed
/// after it stops being held; a place taken by an allocation that then failed is found and freed
/// when it is older than the grace period and its referral is not held by that practitioner.
/// </summary>
/// <remarks>
/// The whole ledger is one partition: a place is the row <c>place|{practitioner}|{place}</c> and a
/// practitioner's count the row <c>count|{practitioner}</c> (a practitioner id has no <c>|</c>).
/// That row is also the practitioner's entry in <see cref="PractitionerDirectory"/>, which writes
/// only its own columns (merged), as the ledger writes only <c>Held</c>: so the pages that show
/// caseloads against capacity read one range, a row per practitioner.
/// Every change of a practitioner's places is one transaction with their count, conditional on the
/// count as it was read: two changes racing for one practitioner (two allocations for the last
/// place, or two for one referral) cannot both land, and the loser looks again. So a count always
/// equals the places it counts, and the caseloads pages read the counts alone (one range, a row per
/// practitioner) rather than every place. A partition serves thousands of changes a second;
/// places change a few times a day per practitioner.
/// </remarks>
public sealed class CaseloadLedger
{
    /// <summary>The ledger's one partition.</summary>
    internal const string Partition = "ledger";

    /// <summary>The prefix of a practitioner's row: their count, and their directory entry.</summary>
    internal const string CountRows = "count|";

    /// <summary>The column of a practitioner's row that holds their count.</summary>
    internal const string HeldColumn = "Held";

    private const string PlacePrefix = "place-";
    private const string OverridePrefix = "override-";
    private const string PlaceRows = "place|";

    /// <summary>How often a change looks again after a change that raced it; each loser of a race makes progress for another.</summary>
    private const int Attempts = 20;

    private readonly GuardedTableClient _table;

    public CaseloadLedger(TableProvider tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        _table = tables.Get(WorkflowTables.Caseloads);
    }

    public async Task<IReadOnlyList<CaseloadPlace>> ListAsync(string practitionerId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(practitionerId);
        var places = new List<CaseloadPlace>();
        await foreach (var row in _table.QueryAsync(Range(PlaceRows + practitionerId + "|"), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            places.Add(Place(row));
        }

        return places;
    }

    /// <summary>Every practitioner's places, by practitioner id, in one query over the ledger's places.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<CaseloadPlace>>> ListAllAsync(CancellationToken cancellationToken = default)
    {
        var places = new Dictionary<string, List<CaseloadPlace>>(StringComparer.Ordinal);
        await foreach (var row in _table.QueryAsync(Range(PlaceRows), ["Reference", "ReservedAt"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var place = Place(row);
            if (!places.TryGetValue(place.PractitionerId, out var held))
            {
                places[place.PractitionerId] = held = [];
            }

            held.Add(place);
        }

        return places.ToDictionary(p => p.Key, p => (IReadOnlyList<CaseloadPlace>)p.Value, StringComparer.Ordinal);
    }

    /// <summary>
    /// How many places each practitioner holds, by practitioner id, as the ledger counts them (one
    /// who never held a place and has no directory entry is absent), in one range of a row per
    /// practitioner. The staff pages read these rows through <see cref="PractitionerDirectory.ListWithCaseloadsAsync"/>,
    /// which lists only those with an entry.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, int>> CountsAsync(CancellationToken cancellationToken = default)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        await foreach (var row in _table.QueryAsync(Range(CountRows), [HeldColumn], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            counts[row.RowKey[CountRows.Length..]] = row.GetInt32(HeldColumn) ?? 0;
        }

        return counts;
    }

    /// <summary>Takes a free place for <paramref name="reference"/> within <paramref name="capacity"/>; true if the referral now holds one.</summary>
    public Task<bool> TryReserveAsync(string practitionerId, string reference, int capacity, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        ChangeAsync(practitionerId, places =>
        {
            if (places.Any(p => p.Reference == reference))
            {
                return Change.Done(true);
            }

            if (places.Count >= capacity)
            {
                return Change.Done(false);
            }

            var taken = places.Select(p => p.RowKey).ToHashSet(StringComparer.Ordinal);
            var free = Enumerable.Range(1, capacity)
                .Select(n => string.Create(CultureInfo.InvariantCulture, $"{PlacePrefix}{n:D3}"))
                .First(key => !taken.Contains(key));
            return Change.Add(PlaceRow(practitionerId, free, reference, now), result: true);
        }, cancellationToken);

    /// <summary>The manager's override: the referral takes a place whatever the capacity.</summary>
    public Task ReserveOverCapacityAsync(string practitionerId, string reference, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        ChangeAsync(practitionerId, places => places.Any(p => p.Reference == reference)
            ? Change.Done(true)
            : Change.Add(PlaceRow(practitionerId, OverridePrefix + reference, reference, now), result: true), cancellationToken);

    /// <summary>Frees every place <paramref name="reference"/> holds with this practitioner; freeing a free place is fine.</summary>
    public Task ReleaseAsync(string practitionerId, string reference, CancellationToken cancellationToken = default) =>
        ChangeAsync(practitionerId, places =>
        {
            var held = places.Where(p => p.Reference == reference).ToList();
            return held.Count == 0 ? Change.Done(true) : Change.Remove(held);
        }, cancellationToken);

    /// <summary>
    /// Reads the practitioner's count, then their places, and applies what <paramref name="decide"/>
    /// makes of them in one transaction with the new count, on condition that the count is as read.
    /// A transaction refused (the count or a place changed meanwhile) or whose answer was lost is
    /// decided again on a fresh read, which also shows whether a lost one landed.
    /// </summary>
    private async Task<bool> ChangeAsync(string practitionerId, Func<IReadOnlyList<CaseloadPlace>, Change> decide, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(practitionerId);
        for (var attempt = 1; ; attempt++)
        {
            var count = await _table.GetEntityIfExistsAsync(Partition, CountRows + practitionerId, [HeldColumn], cancellationToken).ConfigureAwait(false);
            var places = await ListAsync(practitionerId, cancellationToken).ConfigureAwait(false);
            var change = decide(places);
            if (change.Adding is null && change.Removing.Count == 0)
            {
                return change.Result;
            }

            var actions = new List<TableTransactionAction>();
            if (change.Adding is { } adding)
            {
                actions.Add(new TableTransactionAction(TableTransactionActionType.Add, adding));
            }

            actions.AddRange(change.Removing.Select(p => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(Partition, PlaceRows + practitionerId + "|" + p.RowKey), ETag.All)));
            var held = places.Count + (change.Adding is null ? 0 : 1) - change.Removing.Count;
            var counted = new TableEntity(Partition, CountRows + practitionerId) { [HeldColumn] = held };
            actions.Add(count is null
                ? new TableTransactionAction(TableTransactionActionType.Add, counted)
                : new TableTransactionAction(TableTransactionActionType.UpdateMerge, counted, count.ETag));
            try
            {
                await _table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
                return change.Result;
            }
            catch (Exception ex) when (attempt < Attempts
                && (ex is TableTransactionFailedException { Status: 404 or 409 or 412 } or TableOutcomeUnknownException))
            {
            }
        }
    }

    /// <summary>The rows whose keys start with <paramref name="prefix"/> (which ends with <c>|</c>, and <c>}</c> sorts right after it).</summary>
    internal static string Range(string prefix)
    {
        var end = prefix[..^1] + "}";
        return TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and RowKey ge {prefix} and RowKey lt {end}");
    }

    private static TableEntity PlaceRow(string practitionerId, string place, string reference, DateTimeOffset now) =>
        new(Partition, PlaceRows + practitionerId + "|" + place) { ["Reference"] = reference, ["ReservedAt"] = now };

    /// <summary>A place from its row <c>place|{practitioner}|{place}</c>.</summary>
    private static CaseloadPlace Place(TableEntity row)
    {
        var key = row.RowKey.AsSpan(PlaceRows.Length);
        var bar = key.IndexOf('|');
        return new(key[..bar].ToString(), key[(bar + 1)..].ToString(), row.GetString("Reference") ?? string.Empty, row.GetDateTimeOffset("ReservedAt") ?? default);
    }

    /// <summary>What a change of a practitioner's places does: nothing (with its answer), add one place, or remove some.</summary>
    private sealed record Change(bool Result, TableEntity? Adding, IReadOnlyList<CaseloadPlace> Removing)
    {
        public static Change Done(bool result) => new(result, null, []);

        public static Change Add(TableEntity place, bool result) => new(result, place, []);

        public static Change Remove(IReadOnlyList<CaseloadPlace> places) => new(true, null, places);
    }
}
