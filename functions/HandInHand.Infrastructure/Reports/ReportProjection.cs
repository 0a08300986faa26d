using System.Globalization;
using Azure;
using Azure.Data.Tables;
using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Reports;
using HandInHand.Infrastructure.Storage;
using HandInHand.Infrastructure.Workflow;

namespace HandInHand.Infrastructure.Reports;

/// <summary>
/// Keeps the report projections: each referral's contribution (<see cref="ReportFacts"/>) as rows
/// per date, and each date's totals, recomputed from that date's rows rather than incremented.
/// </summary>
/// <remarks>
/// <para>
/// What must stay true, whatever the order and number of deliveries: a referral's rows end up as
/// its newest state says, and a day's total is the sum of its rows. Every contribution row
/// carries the history version it was computed at and is never replaced by an older one; a date
/// the referral no longer touches gets an empty row (a tombstone) rather than a delete, so a late,
/// older writer cannot bring it back. The facts row (version and dates) is written last, with its
/// ETag: a refresh that loses that race starts again from the newest state, and also clears the
/// dates it wrote itself.
/// </para>
/// <para>
/// A day's total is recomputed under its ETag: read the ETag, sum the partition, write. A
/// contribution written after the sum was read belongs to a refresh that recomputes the day
/// afterwards itself, and its write either lands after this one or fails and retries.
/// </para>
/// </remarks>
public sealed class ReportProjection
{
    private const string FactsRow = "facts";
    private const string DateFormat = "yyyy-MM-dd";
    private readonly GuardedTableClient _facts;
    private readonly GuardedTableClient _contributions;
    private readonly GuardedTableClient _days;
    private readonly ReferralWorkflowStore _store;

    public ReportProjection(TableProvider tables, ReferralWorkflowStore store)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(store);
        _facts = tables.Get(ReportTables.Facts);
        _contributions = tables.Get(ReportTables.Contributions);
        _days = tables.Get(ReportTables.Days);
        _store = store;
    }

    /// <summary>Recomputes the figures of <paramref name="reference"/> from its current state.</summary>
    public async Task RefreshAsync(string reference, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(reference);
        var written = new HashSet<DateOnly>();
        for (var attempt = 1; attempt <= 20; attempt++)
        {
            var loaded = await _store.LoadAsync(reference, cancellationToken).ConfigureAwait(false);
            if (loaded is null)
            {
                return;
            }

            var facts = await _facts.GetEntityIfExistsAsync(FactsPartition(reference), reference, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (facts?.GetInt64("Version") is { } factsVersion && factsVersion > loaded.Version)
            {
                continue;
            }

            var pathway = loaded.State.Pathway.ToString();
            var contributions = ReportFacts.Contributions(loaded.State);
            var touched = new SortedSet<DateOnly>(ParseDates(facts?.GetString("Dates")).Concat(contributions.Keys).Concat(written));
            foreach (var date in touched)
            {
                IReadOnlyDictionary<string, int> counters = contributions.TryGetValue(date, out var c) ? c : new SortedDictionary<string, int>();
                await WriteContributionAsync(pathway, date, reference, loaded.Version, counters, cancellationToken).ConfigureAwait(false);
                written.Add(date);
            }

            foreach (var date in touched)
            {
                await RecomputeDayAsync(pathway, date, cancellationToken).ConfigureAwait(false);
            }

            var row = new TableEntity(FactsPartition(reference), reference)
            {
                ["Version"] = loaded.Version,
                ["Pathway"] = pathway,
                ["Dates"] = string.Join(",", contributions.Keys.Select(FormatDate)),
            };
            try
            {
                if (facts is null)
                {
                    await _facts.AddEntityAsync(row, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await _facts.UpdateEntityAsync(row, facts.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                }

                return;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                // Another refresh of this referral finished in between: start again from the newest state.
            }
        }

        throw new InvalidOperationException("The report figures of a referral kept changing while being refreshed.");
    }

    /// <summary>Recomputes the totals of one pathway's date from that date's contribution rows.</summary>
    public async Task RecomputeDayAsync(string pathway, DateOnly date, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(pathway);
        for (var attempt = 1; ; attempt++)
        {
            var existing = await _days.GetEntityIfExistsAsync(pathway, FormatDate(date), cancellationToken: cancellationToken).ConfigureAwait(false);
            var total = new Dictionary<string, long>(StringComparer.Ordinal);
            var referrals = 0;
            var partition = ContributionPartition(pathway, date);
            await foreach (var row in _contributions.QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), ["Counters"], cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                var counters = CounterJson.Deserialize(row.GetString("Counters"));
                if (counters.Count > 0)
                {
                    referrals++;
                    CounterJson.AddInto(total, counters);
                }
            }

            var day = new TableEntity(pathway, FormatDate(date))
            {
                ["Counters"] = System.Text.Json.JsonSerializer.Serialize(new SortedDictionary<string, long>(total, StringComparer.Ordinal)),
                ["Referrals"] = referrals,
            };
            try
            {
                if (existing is null)
                {
                    await _days.AddEntityAsync(day, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await _days.UpdateEntityAsync(day, existing.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                }

                return;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412 && attempt < 50)
            {
                await Task.Delay(Random.Shared.Next(1, 5 * attempt), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Writes projection rows directly, in batches, for figures computed elsewhere (the benchmark's
    /// synthetic referrals): the contribution rows and facts rows, then every touched day's totals.
    /// </summary>
    public async Task SeedAsync(IReadOnlyList<(string Reference, ReferralState State)> referrals, int parallelism = 4, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(referrals);
        var contributionRows = new List<TableEntity>();
        var factRows = new List<TableEntity>();
        foreach (var (reference, state) in referrals)
        {
            var contributions = ReportFacts.Contributions(state);
            var pathway = state.Pathway.ToString();
            foreach (var (date, counters) in contributions)
            {
                contributionRows.Add(new TableEntity(ContributionPartition(pathway, date), reference) { ["Version"] = 1L, ["Counters"] = CounterJson.Serialize(counters) });
            }

            factRows.Add(new TableEntity(FactsPartition(reference), reference) { ["Version"] = 1L, ["Pathway"] = pathway, ["Dates"] = string.Join(",", contributions.Keys.Select(FormatDate)) });
        }

        var batches = Batches(contributionRows, _contributions).Concat(Batches(factRows, _facts)).ToList();
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken }, async (batch, ct) =>
            await batch.Table.SubmitTransactionAsync(batch.Actions, ct).ConfigureAwait(false)).ConfigureAwait(false);

        var days = contributionRows.Select(r => r.PartitionKey).Distinct(StringComparer.Ordinal).ToList();
        await Parallel.ForEachAsync(days, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken }, async (partition, ct) =>
        {
            var split = partition.Split('|');
            await RecomputeDayAsync(split[0], DateOnly.ParseExact(split[1], DateFormat, CultureInfo.InvariantCulture), ct).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    internal static string FormatDate(DateOnly date) => date.ToString(DateFormat, CultureInfo.InvariantCulture);

    private static IEnumerable<(GuardedTableClient Table, List<TableTransactionAction> Actions)> Batches(IEnumerable<TableEntity> rows, GuardedTableClient table) =>
        rows.GroupBy(r => r.PartitionKey, StringComparer.Ordinal)
            .SelectMany(g => g.Chunk(100))
            .Select(chunk => (table, chunk.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r)).ToList()));

    /// <summary>Writes one contribution row unless a newer version of it is there already.</summary>
    private async Task WriteContributionAsync(string pathway, DateOnly date, string reference, long version, IReadOnlyDictionary<string, int> counters, CancellationToken cancellationToken)
    {
        var partition = ContributionPartition(pathway, date);
        var json = CounterJson.Serialize(counters);
        for (var attempt = 1; attempt <= 20; attempt++)
        {
            var existing = await _contributions.GetEntityIfExistsAsync(partition, reference, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (existing is not null && ((existing.GetInt64("Version") ?? 0) > version || (existing.GetInt64("Version") == version && existing.GetString("Counters") == json)))
            {
                return;
            }

            var row = new TableEntity(partition, reference) { ["Version"] = version, ["Counters"] = json };
            try
            {
                if (existing is null)
                {
                    await _contributions.AddEntityAsync(row, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await _contributions.UpdateEntityAsync(row, existing.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                }

                return;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
            }
        }

        throw new InvalidOperationException("A report contribution row kept changing while being written.");
    }

    private static IEnumerable<DateOnly> ParseDates(string? dates) =>
        string.IsNullOrEmpty(dates) ? [] : dates.Split(',').Select(d => DateOnly.ParseExact(d, DateFormat, CultureInfo.InvariantCulture));

    private static string ContributionPartition(string pathway, DateOnly date) => pathway + "|" + FormatDate(date);

    /// <summary>Facts rows are grouped by the reference's prefix and year (<c>HH-2026</c>), so that many can be written in one batch.</summary>
    private static string FactsPartition(string reference)
    {
        var cut = reference.LastIndexOf('-');
        return cut > 0 ? reference[..cut] : reference;
    }
}
