using System.Collections.Immutable;
using HandInHand.Domain.Referrals;

namespace HandInHand.Domain.Lifecycle;

/// <summary>A referral's current state: everything the decider needs, and nothing personal beyond the date of birth.</summary>
public sealed record ReferralState
{
    public static readonly ReferralState Initial = new();

    public Stage Stage { get; init; } = Stage.None;
    public string Reference { get; init; } = string.Empty;
    public ServicePathway Pathway { get; init; }
    public string Region { get; init; } = string.Empty;
    public RiskLevel RiskAtReferral { get; init; }
    public RiskLevel CurrentRisk { get; init; }
    public RiskLevel? RiskAtAllocation { get; init; }
    public RiskLevel? RiskAtClosure { get; init; }
    public DateOnly DateOfBirth { get; init; }
    public DateTimeOffset ReceivedAt { get; init; }
    public IReadOnlyList<string> PossibleDuplicates { get; init; } = [];
    public string? PractitionerId { get; init; }
    public Strand? Strand { get; init; }
    public DateTimeOffset? AllocatedAt { get; init; }
    public DateTimeOffset? WaitingSince { get; init; }
    public DateTimeOffset? FirstContactAt { get; init; }
    public bool? Consent { get; init; }
    public int ReviewCount { get; init; }
    public DateTimeOffset? NextReviewDue { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
    public string? ClosureReason { get; init; }
    /// <summary>Where a closed case goes back to if it is reopened.</summary>
    public Stage StageBeforeClosure { get; init; }
    public int ReopenCount { get; init; }
    /// <summary>The young person's contact channel, when one is recorded; null when none is.</summary>
    public ContactChannel? Channel { get; init; }
    /// <summary>True when the case holder marked the recorded channel safe to use.</summary>
    public bool ChannelIsSafe { get; init; }
    public bool SurveyOptedOut { get; init; }
    /// <summary>Until when the young person's survey takes answers; null when it was never offered.</summary>
    public DateTimeOffset? SurveyOpenUntil { get; init; }
    public DateTimeOffset? SurveyAnsweredAt { get; init; }
    /// <summary>Until when the referrer's feedback form takes answers; null when it was never offered.</summary>
    public DateTimeOffset? PartnerFeedbackOpenUntil { get; init; }
    public DateTimeOffset? PartnerFeedbackAt { get; init; }
    /// <summary>Set when the retention period has passed and the record waits for the manager's review.</summary>
    public bool RetentionReviewDue { get; init; }
    public bool LegalHold { get; init; }
    public DateTimeOffset? ErasedAt { get; init; }

    /// <summary>
    /// Deadlines that were missed and not yet met (escalation kind → when it was due), so that the
    /// manager's views keep showing them after the escalation timer has fired.
    /// </summary>
    public ImmutableSortedDictionary<TimerKind, DateTimeOffset> Missed { get; init; } = ImmutableSortedDictionary<TimerKind, DateTimeOffset>.Empty;

    /// <summary>Timers that are set: kind → due time.</summary>
    public ImmutableSortedDictionary<TimerKind, DateTimeOffset> Timers { get; init; } = ImmutableSortedDictionary<TimerKind, DateTimeOffset>.Empty;

    /// <summary>True while the case is open: received and not closed, declined or withdrawn.</summary>
    public bool IsOpen => Stage is not (Stage.None or Stage.Closed or Stage.Declined or Stage.Withdrawn);

    /// <summary>Applies one event. Total: every event is valid in the state the decider emitted it from.</summary>
    public ReferralState Evolve(ReferralEvent e) => e switch
    {
        ReferralEvent.Received r => this with
        {
            Stage = Stage.AwaitingTriage,
            Reference = r.Reference,
            Pathway = r.Pathway,
            Region = r.Region,
            RiskAtReferral = r.RiskLevel,
            CurrentRisk = r.RiskLevel,
            DateOfBirth = r.DateOfBirth,
            ReceivedAt = r.At,
            PossibleDuplicates = r.PossibleDuplicates,
        },
        ReferralEvent.Accepted => this with { Stage = Stage.AwaitingAllocation, Missed = Missed.Remove(TimerKind.TriageDeadline) },
        ReferralEvent.Declined d => this with { Stage = Stage.Declined, ClosedAt = d.At, ClosureReason = d.Reason, StageBeforeClosure = Stage, Missed = Missed.Clear() },
        ReferralEvent.InformationRequested => this with { Stage = Stage.AwaitingInformation, Missed = Missed.Remove(TimerKind.TriageDeadline) },
        ReferralEvent.InformationReceived => this with { Stage = Stage.AwaitingTriage },
        ReferralEvent.Allocated a => this with
        {
            Stage = FirstContactAt is not null && Consent == true ? Stage.Active : Stage.Allocated,
            PractitionerId = a.PractitionerId,
            Strand = a.Strand,
            AllocatedAt = a.At,
            RiskAtAllocation = RiskAtAllocation ?? CurrentRisk,
            WaitingSince = null,
        },
        ReferralEvent.PlacedOnWaitingList p => this with { Stage = Stage.WaitingList, WaitingSince = WaitingSince ?? p.At },
        ReferralEvent.StillNeededConfirmed => this,
        ReferralEvent.FirstContactRecorded f => this with { Stage = f.Consent ? Stage.Active : Stage, FirstContactAt = f.ContactedAt, Consent = f.Consent, Missed = Missed.Remove(TimerKind.FirstContactDeadline) },
        ReferralEvent.ReviewRecorded r => this with { ReviewCount = ReviewCount + 1, CurrentRisk = r.RiskLevel, Missed = Missed.Remove(TimerKind.ReviewOverdue) },
        ReferralEvent.Closed c => this with
        {
            Stage = Stage.Closed,
            Missed = Missed.Clear(),
            NextReviewDue = null,
            ClosedAt = c.At,
            ClosureReason = c.Reason,
            RiskAtClosure = c.RiskLevel ?? CurrentRisk,
            CurrentRisk = c.RiskLevel ?? CurrentRisk,
            StageBeforeClosure = Stage,
        },
        ReferralEvent.Withdrawn w => this with { Stage = Stage.Withdrawn, NextReviewDue = null, ClosedAt = w.At, ClosureReason = w.Reason, StageBeforeClosure = Stage, Missed = Missed.Clear() },
        ReferralEvent.Reopened r => this with
        {
            Stage = r.ReturnsTo,
            RetentionReviewDue = false,
            SurveyOpenUntil = null,
            PartnerFeedbackOpenUntil = null,
            ClosedAt = null,
            ClosureReason = null,
            RiskAtClosure = null,
            ReopenCount = ReopenCount + 1,
            NextReviewDue = null,
            PractitionerId = r.ReturnsTo == Stage.AwaitingAllocation ? null : PractitionerId,
        },
        ReferralEvent.ReviewScheduled r => this with { NextReviewDue = r.DueAt },
        ReferralEvent.TimerSet t => this with { Timers = Timers.SetItem(t.Kind, t.DueAt) },
        ReferralEvent.TimerCancelled t => this with { Timers = Timers.Remove(t.Kind) },
        ReferralEvent.TimerFired t => this with
        {
            Timers = Timers.Remove(t.Kind),
            Missed = t.Kind is TimerKind.FirstContactDeadline or TimerKind.TriageDeadline or TimerKind.ReviewOverdue ? Missed.SetItem(t.Kind, t.DueAt) : Missed,
            RetentionReviewDue = RetentionReviewDue || t.Kind == TimerKind.RetentionReview,
        },
        ReferralEvent.ContactChannelRecorded c => this with { Channel = c.Channel, ChannelIsSafe = c.MarkedSafe },
        ReferralEvent.SurveyOptedOut => this with { SurveyOptedOut = true },
        ReferralEvent.SurveyOpened o when o.Audience == SurveyAudience.YoungPerson => this with { SurveyOpenUntil = o.OpenUntil },
        ReferralEvent.SurveyOpened o => this with { PartnerFeedbackOpenUntil = o.OpenUntil },
        ReferralEvent.SurveyAnswered a => this with { SurveyAnsweredAt = a.At },
        ReferralEvent.PartnerFeedbackGiven f => this with { PartnerFeedbackAt = f.At },
        ReferralEvent.LegalHoldPlaced => this with { LegalHold = true },
        ReferralEvent.LegalHoldReleased => this with { LegalHold = false },
        // What stays is what the anonymous figures need: dates, stage, pathway, region and risk levels.
        ReferralEvent.Erased erased => this with
        {
            ErasedAt = erased.At,
            RetentionReviewDue = false,
            DateOfBirth = default,
            PossibleDuplicates = [],
            ClosureReason = null,
            Channel = null,
            ChannelIsSafe = false,
        },
        ReferralEvent.NotificationQueued => this,
        _ => throw new ArgumentOutOfRangeException(nameof(e), $"{e.GetType().Name} has no evolution in {nameof(ReferralState)}."),
    };

    /// <summary>Applies events in order.</summary>
    public ReferralState Evolve(IEnumerable<ReferralEvent> events) => events.Aggregate(this, (s, e) => s.Evolve(e));
}
