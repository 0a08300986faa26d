namespace HandInHand.Domain.Reports;

/// <summary>
/// The names of the counters the reports add up. A counter is a name and a whole number; a name
/// with a value part reads <c>name:value</c> (<c>source:police</c>). Every counter counts
/// referrals (people), except the sums named <c>…-sum</c>, which add scores or days.
/// </summary>
public static class ReportCounters
{
    public const string Received = "received";
    public const string Source = "source";
    public const string Gender = "gender";
    public const string Ethnicity = "ethnicity";
    public const string AgeBand = "age";
    public const string WorkedWith = "worked-with";
    public const string NotTaken = "not-taken";
    public const string FirstContact = "first-contact";
    public const string Closed = "closed";
    public const string RiskChange = "risk";
    public const string WheelAssessed = "wheel-assessed";
    public const string WheelCouldImprove = "wheel-could-improve";
    public const string WheelImproved = "wheel-improved";
    public const string WheelImprovedIn = "wheel-improved-in";
    public const string WheelBeforeSum = "wheel-before-sum";
    public const string WheelAfterSum = "wheel-after-sum";
    public const string WaitingJoined = "waiting-joined";
    public const string WaitingLeft = "waiting-left";
    public const string Waited = "waited";
    public const string WaitedDaysSum = "waited-days-sum";
    public const string Survey = "survey";
    public const string PartnerFeedback = "partner";

    /// <summary>The first-contact bands, in hours since the referral arrived: a band holds times up to and including its upper bound.</summary>
    public static readonly IReadOnlyList<(string Band, double UpToHours)> FirstContactBands =
    [
        ("0-4h", 4), ("4-8h", 8), ("8-12h", 12), ("12-24h", 24), ("24-48h", 48), ("48-72h", 72), ("over-72h", double.PositiveInfinity),
    ];

    /// <summary>The bands of time waited on the waiting list, in whole days.</summary>
    public static readonly IReadOnlyList<(string Band, int UpToDays)> WaitedBands =
    [
        ("0-7d", 7), ("8-14d", 14), ("15-28d", 28), ("29-56d", 56), ("over-56d", int.MaxValue),
    ];

    /// <summary>Age bands at the date of referral (the service works with 8 to 21 year olds).</summary>
    public static readonly IReadOnlyList<(string Band, int UpToAge)> AgeBands =
    [
        ("under-10", 9), ("10-12", 12), ("13-15", 15), ("16-17", 17), ("18-21", int.MaxValue),
    ];

    public static readonly IReadOnlyList<string> RiskChanges = ["reduced", "same", "increased"];

    public static string Of(string name, string value) => name + ":" + value;
}
