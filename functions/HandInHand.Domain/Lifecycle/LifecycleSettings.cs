namespace HandInHand.Domain.Lifecycle;

/// <summary>
/// The clocks of PRODUCT.md §3 and the outcome-tool settings. Every value is configurable (ISO 8601
/// durations in configuration, so a demonstration can make the first-contact deadline 30 seconds);
/// the defaults are the brief's.
/// </summary>
public sealed class LifecycleSettings
{
    public TimeSpan FirstContactDeadline { get; set; } = TimeSpan.FromHours(24);
    public TimeSpan FirstContactReminderBefore { get; set; } = TimeSpan.FromHours(4);
    public TimeSpan TriageReminderAfter { get; set; } = TimeSpan.FromHours(4);
    /// <summary>Triage escalates after this many working days (Monday to Friday).</summary>
    public int TriageDeadlineWorkingDays { get; set; } = 1;
    public TimeSpan InformationReminderAfter { get; set; } = TimeSpan.FromDays(3);
    public TimeSpan InformationDeadline { get; set; } = TimeSpan.FromDays(10);
    public TimeSpan WaitingListCheckEvery { get; set; } = TimeSpan.FromDays(14);
    public TimeSpan ReviewEvery { get; set; } = TimeSpan.FromDays(42);
    public TimeSpan ReviewReminderBefore { get; set; } = TimeSpan.FromDays(3);
    public TimeSpan ReviewOverdueAfter { get; set; } = TimeSpan.FromDays(7);
    public TimeSpan SurveyReminderAfter { get; set; } = TimeSpan.FromDays(7);
    public TimeSpan SurveyExpiresAfter { get; set; } = TimeSpan.FromDays(28);
    public int RetentionYears { get; set; } = 6;
    public int RetentionUntilAge { get; set; } = 25;

    /// <summary>The My Wheel domains, each scored 1–10 by the young person.</summary>
    public IList<string> MyWheelDomains { get; set; } = [];

    public static readonly IReadOnlyList<string> DefaultMyWheelDomains =
    [
        "safety",
        "mental-and-emotional-health",
        "physical-health",
        "relationships",
        "education-and-training",
        "confidence-and-self-esteem",
        "awareness-of-exploitation",
        "home-and-living-situation",
        "positive-activities",
    ];

    public IReadOnlyList<string> EffectiveMyWheelDomains => MyWheelDomains.Count > 0 ? [.. MyWheelDomains] : DefaultMyWheelDomains;
}
