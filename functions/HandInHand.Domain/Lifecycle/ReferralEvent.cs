using HandInHand.Domain.Referrals;

namespace HandInHand.Domain.Lifecycle;

/// <summary>
/// What happened to a referral: the append-only history. Each event records who acted, in what
/// role, and when. Timers and notifications are events too, so the history shows every deadline
/// set, met, missed and reminded.
/// </summary>
public abstract record ReferralEvent(Actor By, DateTimeOffset At)
{
    public sealed record Received(Actor By, DateTimeOffset At, string Reference, ServicePathway Pathway, string Region, RiskLevel RiskLevel, DateOnly DateOfBirth, IReadOnlyList<string> PossibleDuplicates, ReferralProfile? Profile = null) : ReferralEvent(By, At);

    public sealed record Accepted(Actor By, DateTimeOffset At) : ReferralEvent(By, At);

    /// <summary>Declined at triage. <paramref name="Category"/> defaults for histories written before categories existed.</summary>
    public sealed record Declined(Actor By, DateTimeOffset At, string Reason, NotTakenReason Category = NotTakenReason.Other) : ReferralEvent(By, At);

    public sealed record InformationRequested(Actor By, DateTimeOffset At) : ReferralEvent(By, At);

    public sealed record InformationReceived(Actor By, DateTimeOffset At) : ReferralEvent(By, At);

    public sealed record Allocated(Actor By, DateTimeOffset At, string PractitionerId, bool Manual, Strand? Strand) : ReferralEvent(By, At);

    public sealed record PlacedOnWaitingList(Actor By, DateTimeOffset At) : ReferralEvent(By, At);

    public sealed record StillNeededConfirmed(Actor By, DateTimeOffset At) : ReferralEvent(By, At);

    public sealed record FirstContactRecorded(Actor By, DateTimeOffset At, DateTimeOffset ContactedAt, bool Consent) : ReferralEvent(By, At);

    public sealed record ReviewRecorded(Actor By, DateTimeOffset At, IReadOnlyDictionary<string, int> MyWheel, IReadOnlyDictionary<string, TrafficLight> TrafficLights, RiskLevel RiskLevel) : ReferralEvent(By, At);

    /// <summary>A support session was held on <paramref name="HeldOn"/>; the note is free text, and goes at erasure.</summary>
    public sealed record SessionRecorded(Actor By, DateTimeOffset At, DateOnly HeldOn, SessionKind Kind, string Note) : ReferralEvent(By, At);

    public sealed record Closed(Actor By, DateTimeOffset At, string Reason, IReadOnlyDictionary<string, int>? FinalMyWheel, RiskLevel? RiskLevel) : ReferralEvent(By, At);

    /// <summary>Withdrawn. <paramref name="Category"/> defaults for histories written before categories existed.</summary>
    public sealed record Withdrawn(Actor By, DateTimeOffset At, string Reason, NotTakenReason Category = NotTakenReason.Other) : ReferralEvent(By, At);

    public sealed record Reopened(Actor By, DateTimeOffset At, string Reason, Stage ReturnsTo) : ReferralEvent(By, At);

    /// <summary>The next review is due at <paramref name="DueAt"/>.</summary>
    public sealed record ReviewScheduled(Actor By, DateTimeOffset At, DateTimeOffset DueAt) : ReferralEvent(By, At);

    public sealed record TimerSet(Actor By, DateTimeOffset At, TimerKind Kind, DateTimeOffset DueAt) : ReferralEvent(By, At);

    public sealed record TimerCancelled(Actor By, DateTimeOffset At, TimerKind Kind) : ReferralEvent(By, At);

    public sealed record TimerFired(Actor By, DateTimeOffset At, TimerKind Kind, DateTimeOffset DueAt) : ReferralEvent(By, At);

    /// <summary>The case holder recorded how the young person can be reached, and whether that channel is safe to use.</summary>
    public sealed record ContactChannelRecorded(Actor By, DateTimeOffset At, ContactChannel Channel, bool MarkedSafe) : ReferralEvent(By, At);

    /// <summary>The young person does not want the end-of-support survey.</summary>
    public sealed record SurveyOptedOut(Actor By, DateTimeOffset At) : ReferralEvent(By, At);

    /// <summary>The survey is open for answers until <paramref name="OpenUntil"/> (its link was offered).</summary>
    public sealed record SurveyOpened(Actor By, DateTimeOffset At, SurveyAudience Audience, DateTimeOffset OpenUntil) : ReferralEvent(By, At);

    public sealed record SurveyAnswered(Actor By, DateTimeOffset At, SurveyAnswers Answers) : ReferralEvent(By, At);

    public sealed record PartnerFeedbackGiven(Actor By, DateTimeOffset At, PartnerFeedback Answers) : ReferralEvent(By, At);

    public sealed record LegalHoldPlaced(Actor By, DateTimeOffset At, string Reason) : ReferralEvent(By, At);

    public sealed record LegalHoldReleased(Actor By, DateTimeOffset At) : ReferralEvent(By, At);

    /// <summary>The manager confirmed erasure after the retention review: the personal data goes, the anonymous figures stay.</summary>
    public sealed record Erased(Actor By, DateTimeOffset At) : ReferralEvent(By, At);

    /// <summary>A message to send; the engine puts it in the outbox in the same write.</summary>
    public sealed record NotificationQueued(Actor By, DateTimeOffset At, NotificationKind Kind, Recipient Recipient) : ReferralEvent(By, At);
}

/// <summary>Standard closure reasons the workflow itself records.</summary>
public static class ClosureReasons
{
    public const string NoConsent = "no-consent";
    public const string NoResponse = "no-response";
}
