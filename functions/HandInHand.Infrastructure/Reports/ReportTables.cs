namespace HandInHand.Infrastructure.Reports;

/// <summary>The tables of the report projections. None holds personal data; all survive the erasure of a referral's record.</summary>
public static class ReportTables
{
    /// <summary>One row per referral: the history version its figures were computed at, and the dates they touch.</summary>
    public const string Facts = "ReportFacts";

    /// <summary>One row per referral and date (partition <c>pathway|yyyy-MM-dd</c>): the counters the referral adds on that date; and the date's running total (row <c>~total</c>).</summary>
    public const string Contributions = "ReportContributions";

    /// <summary>One row per pathway and date: the sum of that date's contributions.</summary>
    public const string Days = "ReportDays";

    public static readonly IReadOnlyList<string> All = [Facts, Contributions, Days];
}
