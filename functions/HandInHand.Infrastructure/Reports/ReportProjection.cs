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
/// Each date's contribution partition also holds its running total (row <c>~total</c>, which no
/// reference can be): a contribution is written in one transaction with the total moved by the
/// difference it makes, on condition that neither changed since they were read, so the total is
/// always the sum of the partition's rows without anyone reading them all again. (Until
/// 2026-12-02 every refresh summed the whole partition: with many referrals on one date each
/// refresh read them all.) A partition written before the totals existed is summed once, when
/// its total is first needed.
/// </para>
/// <para>
/// A day's row in <c>ReportDays</c>, which the reports read, is a copy of that total, made under
/// the day row's ETag: read the ETag, read the total, write. A contribution written after the total
/// was read belongs to a refresh that copies the day afterwards itself, and its copy either lands
/// after this one or fails and retries.
/// </para>
/// </remarks>
public sealed class ReportProjection
{
    private const string FactsRow = "facts";

    /// <summary>The row of a contribution partition that holds the partition's running total.</summary>
    private const string TotalRow = "~total";
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
                await CopyDayAsync(pathway, date, cancellationToken).ConfigureAwait(false);
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

    /// <summary>
    /// Recomputes the total of one pathway's date from that date's contribution rows (reading them
    /// all), and copies it to the day's row: for rows written without their total (the benchmark's
    /// bulk load, or rows from before the totals existed).
    /// </summary>
    public async Task RecomputeDayAsync(string pathway, DateOnly date, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(pathway);
        var partition = ContributionPartition(pathway, date);
        for (var attempt = 1; ; attempt++)
        {
            // Read before the rows: a contribution written meanwhile moves the total, and this write then fails.
            var total = await _contributions.GetEntityIfExistsAsync(partition, TotalRow, cancellationToken: cancellationToken).ConfigureAwait(false);
            var (sum, referrals) = await SumAsync(partition, except: null, cancellationToken).ConfigureAwait(false);
            try
            {
                await WriteTotalAsync(_contributions, TotalOf(partition, sum, referrals), total?.ETag, cancellationToken).ConfigureAwait(false);
                break;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412 && attempt < 50)
            {
                await Task.Delay(Random.Shared.Next(1, 5 * attempt), cancellationToken).ConfigureAwait(false);
            }
        }

        await CopyDayAsync(pathway, date, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Copies the running total of one pathway's date to the day's row the reports read.</summary>
    private async Task CopyDayAsync(string pathway, DateOnly date, CancellationToken cancellationToken)
    {
        var partition = ContributionPartition(pathway, date);
        for (var attempt = 1; ; attempt++)
        {
            var existing = await _days.GetEntityIfExistsAsync(pathway, FormatDate(date), cancellationToken: cancellationToken).ConfigureAwait(false);
            var total = await _contributions.GetEntityIfExistsAsync(partition, TotalRow, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (total is null)
            {
                // Contributions from before the totals existed, none written since.
                await RecomputeDayAsync(pathway, date, cancellationToken).ConfigureAwait(false);
                return;
            }

            var day = new TableEntity(pathway, FormatDate(date)) { ["Counters"] = total.GetString("Counters"), ["Referrals"] = total.GetInt32("Referrals") ?? 0 };
            try
            {
                await WriteTotalAsync(_days, day, existing?.ETag, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412 && attempt < 50)
            {
                await Task.Delay(Random.Shared.Next(1, 5 * attempt), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Adds <paramref name="row"/>, or replaces it if it still has <paramref name="etag"/>; 409 or 412 when somebody was first.</summary>
    private static async Task WriteTotalAsync(GuardedTableClient table, TableEntity row, ETag? etag, CancellationToken cancellationToken)
    {
        if (etag is { } ifMatch)
        {
            await table.UpdateEntityAsync(row, ifMatch, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await table.AddEntityAsync(row, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The sum of a partition's contribution rows (all but <paramref name="except"/>'s), and how many contribute.</summary>
    private async Task<(Dictionary<string, long> Sum, int Referrals)> SumAsync(string partition, string? except, CancellationToken cancellationToken)
    {
        var sum = new Dictionary<string, long>(StringComparer.Ordinal);
        var referrals = 0;
        await foreach (var row in _contributions.QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), ["Counters"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (row.RowKey == TotalRow || row.RowKey == except)
            {
                continue;
            }

            var counters = CounterJson.Deserialize(row.GetString("Counters"));
            if (counters.Count > 0)
            {
                referrals++;
                CounterJson.AddInto(sum, counters);
            }
        }

        return (sum, referrals);
    }

    /// <summary>A total row; a counter that sums to nothing is left out, as a sum of rows without it would leave it out.</summary>
    private static TableEntity TotalOf(string partition, Dictionary<string, long> sum, int referrals) => new(partition, TotalRow)
    {
        ["Counters"] = System.Text.Json.JsonSerializer.Serialize(new SortedDictionary<string, long>(sum.Where(c => c.Value != 0).ToDictionary(), StringComparer.Ordinal)),
        ["Referrals"] = referrals,
    };

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

    /// <summary>
    /// Writes one contribution row unless a newer version of it is there already, in one transaction
    /// with its date's running total moved by the difference it makes.
    /// </summary>
    private async Task WriteContributionAsync(string pathway, DateOnly date, string reference, long version, IReadOnlyDictionary<string, int> counters, CancellationToken cancellationToken)
    {
        var partition = ContributionPartition(pathway, date);
        var json = CounterJson.Serialize(counters);
        for (var attempt = 1; ; attempt++)
        {
            var existing = await _contributions.GetEntityIfExistsAsync(partition, reference, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (existing is not null && ((existing.GetInt64("Version") ?? 0) > version || (existing.GetInt64("Version") == version && existing.GetString("Counters") == json)))
            {
                return;
            }

            var total = await _contributions.GetEntityIfExistsAsync(partition, TotalRow, cancellationToken: cancellationToken).ConfigureAwait(false);
            Dictionary<string, long> sum;
            int referrals;
            if (total is null)
            {
                // The first total of this date: what the other rows already hold.
                (sum, referrals) = await SumAsync(partition, except: reference, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                sum = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, long>>(total.GetString("Counters") ?? "{}") ?? [];
                referrals = total.GetInt32("Referrals") ?? 0;
                var old = CounterJson.Deserialize(existing?.GetString("Counters"));
                foreach (var (name, value) in old)
                {
                    sum[name] = sum.GetValueOrDefault(name) - value;
                }

                referrals -= old.Count > 0 ? 1 : 0;
            }

            CounterJson.AddInto(sum, counters);
            referrals += counters.Count > 0 ? 1 : 0;
            var row = new TableEntity(partition, reference) { ["Version"] = version, ["Counters"] = json };
            var totalRow = TotalOf(partition, sum, referrals);
            try
            {
                await _contributions.SubmitTransactionAsync(
                [
                    existing is null ? new(TableTransactionActionType.Add, row) : new(TableTransactionActionType.UpdateReplace, row, existing.ETag),
                    total is null ? new(TableTransactionActionType.Add, totalRow) : new(TableTransactionActionType.UpdateReplace, totalRow, total.ETag),
                ], cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (attempt < 50 && (ex is TableTransactionFailedException { Status: 409 or 412 } or TableOutcomeUnknownException))
            {
                // Another contribution of this date (or of this referral) landed first, or the answer
                // was lost: read again, which also shows whether a lost one landed.
                await Task.Delay(Random.Shared.Next(1, 5 * attempt), cancellationToken).ConfigureAwait(false);
            }
        }
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
