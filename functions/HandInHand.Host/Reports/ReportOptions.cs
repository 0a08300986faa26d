namespace HandInHand.Host.Reports;

/// <summary>Report settings (section <c>Reports</c>).</summary>
public sealed class ReportOptions
{
    public const string SectionName = "Reports";

    /// <summary>Counts of 1 to this minus one people show as "&lt;threshold" to analysts and in every export. Default 5.</summary>
    public int SuppressionThreshold { get; set; } = 5;

    /// <summary>The longest range one request may ask for.</summary>
    public int MaxRangeDays { get; set; } = 3660;
}
