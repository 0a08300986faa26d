using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using HandInHand.Infrastructure.Storage;

namespace HandInHand.Infrastructure.Reports;

/// <summary>One pathway's totals for one date.</summary>
public sealed record DayTotals(string Pathway, DateOnly Date, IReadOnlyDictionary<string, long> Counters);

/// <summary>
/// Reads the daily totals: one partition per pathway, one row per date, so a report over any
/// range reads one row per day that had activity, however many referrals there are.
/// </summary>
public sealed class ReportReader
{
    private readonly GuardedTableClient _days;

    public ReportReader(TableProvider tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        _days = tables.Get(ReportTables.Days);
    }

    /// <summary>The totals of <paramref name="pathway"/> for every date from <paramref name="from"/> to <paramref name="to"/>, inclusive.</summary>
    public async Task<IReadOnlyList<DayTotals>> ReadAsync(string pathway, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(pathway);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {pathway} and RowKey ge {ReportProjection.FormatDate(from)} and RowKey le {ReportProjection.FormatDate(to)}");
        var days = new List<DayTotals>();
        await foreach (var row in _days.QueryAsync(filter, ["RowKey", "Counters"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var counters = JsonSerializer.Deserialize<Dictionary<string, long>>(row.GetString("Counters") ?? "{}") ?? [];
            days.Add(new DayTotals(pathway, DateOnly.ParseExact(row.RowKey, "yyyy-MM-dd", CultureInfo.InvariantCulture), counters));
        }

        return days;
    }
}
