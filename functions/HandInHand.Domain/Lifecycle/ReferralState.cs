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
    public int SessionCount { get; init; }
    public DateOnly? LastSessionOn { get; init; }
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

    /// <summary>The form's closed-list answers the reports count; null for referrals received before it was recorded.</summary>
    public ReferralProfile? Profile { get; init; }

    /// <summary>The age band at referral, kept for the reports: it outlives the erasure of the date of birth.</summary>
    public string? AgeBand { get; init; }

    /// <summary>The survey's answers without the free-text ideas, and the partner's feedback: what the reports count.</summary>
    public SurveyAnswers? SurveyResult { get; init; }

    public PartnerFeedback? PartnerResult { get; init; }

    /// <summary>Why the referral was not taken on, while it is declined, withdrawn, or closed without consent or response.</summary>
    public NotTakenReason? NotTaken { get; init; }

    /// <summary>The first My Wheel scored (a review's or the closure's), the latest, and how many were scored.</summary>
    public IReadOnlyDictionary<string, int>? FirstMyWheel { get; init; }

    public IReadOnlyDictionary<string, int>? LatestMyWheel { get; init; }

    public int MyWheelCount { get; init; }

    /// <summary>When the referral first joined the waiting list, and when it last left it.</summary>
    public DateTimeOffset? FirstWaitingAt { get; init; }

    public DateTimeOffset? LeftWaitingAt { get; init; }

    /// <summary>How often the referrer was asked whether support is still needed (PRODUCT.md §4: every 14 days on the waiting list), and when last.</summary>
    public int StillNeededAsked { get; init; }

    public DateTimeOffset? StillNeededAskedAt { get; init; }

    /// <summary>When the referrer last confirmed that support is still needed.</summary>
    public DateTimeOffset? StillNeededConfirmedAt { get; init; }

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
            Profile = r.Profile,
            AgeBand = Reports.ReportFacts.AgeBand(r.DateOfBirth, DateOnly.FromDateTime(r.At.UtcDateTime)),
        },
        ReferralEvent.Accepted => this with { Stage = Stage.AwaitingAllocation, Missed = Missed.Remove(TimerKind.TriageDeadline) },
        ReferralEvent.Declined d => this with { Stage = Stage.Declined, ClosedAt = d.At, ClosureReason = d.Reason, NotTaken = d.Category, StageBeforeClosure = Stage, Missed = Missed.Clear() },
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
            LeftWaitingAt = Stage == Stage.WaitingList ? a.At : LeftWaitingAt,
        },
        ReferralEvent.PlacedOnWaitingList p => this with { Stage = Stage.WaitingList, WaitingSince = WaitingSince ?? p.At, FirstWaitingAt = FirstWaitingAt ?? p.At },
        ReferralEvent.StillNeededConfirmed c => this with { StillNeededConfirmedAt = c.At },
        ReferralEvent.FirstContactRecorded f => this with { Stage = f.Consent ? Stage.Active : Stage, FirstContactAt = f.ContactedAt, Consent = f.Consent, Missed = Missed.Remove(TimerKind.FirstContactDeadline) },
        ReferralEvent.SessionRecorded s => this with { SessionCount = SessionCount + 1, LastSessionOn = LastSessionOn is { } last && last > s.HeldOn ? last : s.HeldOn },
        ReferralEvent.ReviewRecorded r => WithMyWheel(r.MyWheel) with { ReviewCount = ReviewCount + 1, CurrentRisk = r.RiskLevel, Missed = Missed.Remove(TimerKind.ReviewOverdue) },
        ReferralEvent.Closed c => WithMyWheel(c.FinalMyWheel) with
        {
            NotTaken = c.Reason switch
            {
                ClosureReasons.NoConsent => NotTakenReason.DeclinedByYoungPerson,
                ClosureReasons.NoResponse => NotTakenReason.NoResponse,
                _ => null,
            },
            Stage = Stage.Closed,
            Missed = Missed.Clear(),
            NextReviewDue = null,
            ClosedAt = c.At,
            ClosureReason = c.Reason,
            RiskAtClosure = c.RiskLevel ?? CurrentRisk,
            CurrentRisk = c.RiskLevel ?? CurrentRisk,
            StageBeforeClosure = Stage,
        },
        ReferralEvent.Withdrawn w => this with
        {
            Stage = Stage.Withdrawn,
            NextReviewDue = null,
            ClosedAt = w.At,
            ClosureReason = w.Reason,
            NotTaken = w.Category,
            StageBeforeClosure = Stage,
            Missed = Missed.Clear(),
            LeftWaitingAt = Stage == Stage.WaitingList ? w.At : LeftWaitingAt,
        },
        ReferralEvent.Reopened r => this with
        {
            Stage = r.ReturnsTo,
            RetentionReviewDue = false,
            SurveyOpenUntil = null,
            PartnerFeedbackOpenUntil = null,
            ClosedAt = null,
            ClosureReason = null,
            NotTaken = null,
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
        ReferralEvent.SurveyAnswered a => this with { SurveyAnsweredAt = a.At, SurveyResult = a.Answers with { Ideas = null } },
        ReferralEvent.PartnerFeedbackGiven f => this with { PartnerFeedbackAt = f.At, PartnerResult = f.Answers },
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
        ReferralEvent.NotificationQueued { Kind: NotificationKind.WaitingListCheck } n => this with { StillNeededAsked = StillNeededAsked + 1, StillNeededAskedAt = n.At },
        ReferralEvent.NotificationQueued => this,
        _ => throw new ArgumentOutOfRangeException(nameof(e), $"{e.GetType().Name} has no evolution in {nameof(ReferralState)}."),
    };

    private ReferralState WithMyWheel(IReadOnlyDictionary<string, int>? scores) => scores is null or { Count: 0 }
        ? this
        : this with { FirstMyWheel = FirstMyWheel ?? scores, LatestMyWheel = scores, MyWheelCount = MyWheelCount + 1 };

    /// <summary>Applies events in order.</summary>
    public ReferralState Evolve(IEnumerable<ReferralEvent> events) => events.Aggregate(this, (s, e) => s.Evolve(e));
}
