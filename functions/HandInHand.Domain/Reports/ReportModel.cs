namespace HandInHand.Domain.Reports;

/// <summary>How a figure is shown.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<CellState>))]
public enum CellState
{
    Shown,

    /// <summary>Counts fewer people than the threshold: shown as "&lt;threshold".</summary>
    Suppressed,

    /// <summary>Would let a suppressed figure be worked back: shown as "[c]".</summary>
    Withheld,
}

/// <summary>One figure: its value (null when not shown) and how it reads.</summary>
public sealed record Cell(long? Value, string Display, CellState State)
{
    public static Cell Exact(long value) => new(value, value.ToString(System.Globalization.CultureInfo.InvariantCulture), CellState.Shown);
}

/// <summary>One category of a breakdown: its count, and its share of the breakdown's total in percent (one decimal) when both are shown.</summary>
public sealed record Category(string Code, string Label, Cell Count, double? Percent);

/// <summary>
/// Counts of people by category that add up to a total. <see cref="TotalOf"/> names the total:
/// breakdowns of the same people (sources, gender, ethnicity and age of the referrals received)
/// share it, so suppression treats it as one figure.
/// </summary>
public sealed record Breakdown(string Id, string Title, string TotalOf, Cell Total, IReadOnlyList<Category> Categories);

/// <summary>A My Wheel domain: before and after means (of those assessed twice) and the share improved.</summary>
public sealed record WheelDomain(string Domain, string Label, double? MeanBefore, double? MeanAfter, Breakdown Improvement);

/// <summary>The waiting list's size at the end of a day.</summary>
public sealed record WaitingPoint(DateOnly Date, Cell Size);

/// <summary>Every report of PRODUCT.md §5 for one range and service.</summary>
public sealed record ReportSet(
    DateOnly From,
    DateOnly To,
    string Service,
    int? SuppressionThreshold,
    Cell Received,
    Cell WorkedWith,
    Breakdown Sources,
    Breakdown Gender,
    Breakdown Ethnicity,
    Breakdown AgeBands,
    Breakdown NotTaken,
    Breakdown FirstContact,
    Breakdown FirstContactWithin24Hours,
    Breakdown RiskChange,
    Breakdown WheelOverall,
    IReadOnlyList<WheelDomain> WheelDomains,
    IReadOnlyList<WaitingPoint> WaitingListSize,
    Breakdown TimeWaited,
    double? MeanDaysWaited,
    IReadOnlyList<Breakdown> Survey,
    IReadOnlyList<Breakdown> PartnerFeedback)
{
    /// <summary>Every breakdown, in the order the reports list them.</summary>
    public IEnumerable<Breakdown> Breakdowns =>
        new[] { Sources, Gender, Ethnicity, AgeBands, NotTaken, FirstContact, FirstContactWithin24Hours, RiskChange, WheelOverall, TimeWaited }
            .Concat(WheelDomains.Select(d => d.Improvement)).Concat(Survey).Concat(PartnerFeedback);
}
