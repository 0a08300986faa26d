using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Referrals;
using static HandInHand.Domain.Lifecycle.ReferralEvent;
using static HandInHand.Domain.Tests.Lifecycle.Cast;
using static HandInHand.Domain.Tests.Lifecycle.Moments;
using static HandInHand.Domain.Tests.Lifecycle.TheReferral;

namespace HandInHand.Domain.Tests.Lifecycle;

/// <summary>
/// The histories the specifications start from, written out as the events the decider records.
/// <see cref="GivenHistories"/> replays <see cref="Commands.ToReach"/> through the decider and checks it
/// writes exactly these, so no specification starts from a state the lifecycle cannot reach.
/// </summary>
internal static class Histories
{
    public static ReferralEvent[] Receipt(ServicePathway pathway = ServicePathway.HandInHand, DateOnly? dateOfBirth = null) =>
    [
        new Received(Actor.System, T0, Reference, pathway, Region, RiskLevel.High, dateOfBirth ?? DateOfBirth, []),
        new NotificationQueued(Actor.System, T0, NotificationKind.ReferralAcknowledged, Recipient.Referrer),
        new TimerSet(Actor.System, T0, TimerKind.FirstContactReminder, T0.AddHours(20)),
        new TimerSet(Actor.System, T0, TimerKind.FirstContactDeadline, T0.AddHours(24)),
        new TimerSet(Actor.System, T0, TimerKind.TriageReminder, T0.AddHours(4)),
        new TimerSet(Actor.System, T0, TimerKind.TriageDeadline, T0.AddDays(1)),
    ];

    public static ReferralEvent[] Acceptance(Actor? by = null)
    {
        var who = by ?? Manager;
        return
        [
            new Accepted(who, TriagedAt),
            new TimerCancelled(who, TriagedAt, TimerKind.TriageReminder),
            new TimerCancelled(who, TriagedAt, TimerKind.TriageDeadline),
            new NotificationQueued(who, TriagedAt, NotificationKind.ReferralAccepted, Recipient.Referrer),
        ];
    }

    public static ReferralEvent[] InformationRequest() =>
    [
        new InformationRequested(Manager, TriagedAt),
        new TimerCancelled(Manager, TriagedAt, TimerKind.TriageReminder),
        new TimerCancelled(Manager, TriagedAt, TimerKind.TriageDeadline),
        new NotificationQueued(Manager, TriagedAt, NotificationKind.InformationRequested, Recipient.Referrer),
        new TimerSet(Manager, TriagedAt, TimerKind.InformationReminder, TriagedAt.AddDays(3)),
        new TimerSet(Manager, TriagedAt, TimerKind.InformationDeadline, TriagedAt.AddDays(10)),
    ];

    public static ReferralEvent[] WaitingListPlacement() =>
    [
        new PlacedOnWaitingList(Manager, WaitingAt),
        new TimerSet(Manager, WaitingAt, TimerKind.WaitingListCheck, WaitingAt.AddDays(14)),
    ];

    /// <summary>Allocation to p-1: automatic by the system, or (with <paramref name="by"/>) manual, in a strand on Trusted Relationships.</summary>
    public static ReferralEvent[] Allocation(Actor? by = null, Strand? strand = null)
    {
        var who = by ?? Actor.System;
        return
        [
            new Allocated(who, AllocatedAt, Practitioner.Id, by is not null, strand),
            new NotificationQueued(who, AllocatedAt, NotificationKind.AllocationNotice, PractitionerRecipient),
            new ReviewScheduled(who, AllocatedAt, AllocatedAt.AddDays(42)),
            new TimerSet(who, AllocatedAt, TimerKind.ReviewReminder, AllocatedAt.AddDays(39)),
            new TimerSet(who, AllocatedAt, TimerKind.ReviewOverdue, AllocatedAt.AddDays(49)),
        ];
    }

    public static ReferralEvent[] FirstContactWithConsent() =>
    [
        new FirstContactRecorded(Practitioner, ContactRecordedAt, ContactedAt, true),
        new TimerCancelled(Practitioner, ContactRecordedAt, TimerKind.FirstContactReminder),
        new TimerCancelled(Practitioner, ContactRecordedAt, TimerKind.FirstContactDeadline),
    ];

    /// <summary>The practitioner records an email address the young person says is safe to use.</summary>
    public static ReferralEvent[] SafeChannel() =>
    [
        new ContactChannelRecorded(Practitioner, ContactRecordedAt, ContactChannel.Email, true),
    ];

    public static ReferralEvent[] FirstContactWithoutConsent() =>
    [
        new FirstContactRecorded(Practitioner, ContactRecordedAt, ContactedAt, false),
        new TimerCancelled(Practitioner, ContactRecordedAt, TimerKind.FirstContactReminder),
        new TimerCancelled(Practitioner, ContactRecordedAt, TimerKind.FirstContactDeadline),
        new Closed(Practitioner, ContactRecordedAt, ClosureReasons.NoConsent, null, null),
        new TimerCancelled(Practitioner, ContactRecordedAt, TimerKind.ReviewReminder),
        new TimerCancelled(Practitioner, ContactRecordedAt, TimerKind.ReviewOverdue),
        new TimerSet(Practitioner, ContactRecordedAt, TimerKind.RetentionReview, RetentionDue),
    ];

    public static ReferralEvent[] ClosureAfterSupport() =>
    [
        new Closed(Practitioner, ClosedAt, "goals met", Wheel(7), RiskLevel.Standard),
        new TimerCancelled(Practitioner, ClosedAt, TimerKind.ReviewReminder),
        new TimerCancelled(Practitioner, ClosedAt, TimerKind.ReviewOverdue),
        new SurveyOpened(Practitioner, ClosedAt, SurveyAudience.Partner, ClosedAt.AddDays(28)),
        new NotificationQueued(Practitioner, ClosedAt, NotificationKind.PartnerFeedbackRequest, Recipient.Referrer),
        new SurveyOpened(Practitioner, ClosedAt, SurveyAudience.YoungPerson, ClosedAt.AddDays(28)),
        new NotificationQueued(Practitioner, ClosedAt, NotificationKind.SurveyInvitation, Recipient.YoungPerson),
        new TimerSet(Practitioner, ClosedAt, TimerKind.SurveyReminder, ClosedAt.AddDays(7)),
        new TimerSet(Practitioner, ClosedAt, TimerKind.SurveyExpiry, ClosedAt.AddDays(28)),
        new TimerSet(Practitioner, ClosedAt, TimerKind.RetentionReview, RetentionDue),
    ];

    public static ReferralEvent[] Decline() =>
    [
        new Declined(Manager, TriagedAt, "outside the service's area", NotTakenReason.Criteria),
        new TimerCancelled(Manager, TriagedAt, TimerKind.FirstContactReminder),
        new TimerCancelled(Manager, TriagedAt, TimerKind.FirstContactDeadline),
        new TimerCancelled(Manager, TriagedAt, TimerKind.TriageReminder),
        new TimerCancelled(Manager, TriagedAt, TimerKind.TriageDeadline),
        new NotificationQueued(Manager, TriagedAt, NotificationKind.ReferralDeclined, Recipient.Referrer),
        new TimerSet(Manager, TriagedAt, TimerKind.RetentionReview, RetentionDue),
    ];

    public static ReferralEvent[] Withdrawal() =>
    [
        new Withdrawn(TheReferrer, TriagedAt, "support found elsewhere", NotTakenReason.NoLongerNeeded),
        new TimerCancelled(TheReferrer, TriagedAt, TimerKind.FirstContactReminder),
        new TimerCancelled(TheReferrer, TriagedAt, TimerKind.FirstContactDeadline),
        new TimerCancelled(TheReferrer, TriagedAt, TimerKind.TriageReminder),
        new TimerCancelled(TheReferrer, TriagedAt, TimerKind.TriageDeadline),
        new TimerSet(TheReferrer, TriagedAt, TimerKind.RetentionReview, RetentionDue),
    ];

    /// <summary>The referrer never answered: every clock ran out in turn and the case closed as no response.</summary>
    public static ReferralEvent[] ClosedForNoResponse()
    {
        var reminder = TriagedAt.AddDays(3);
        var deadline = TriagedAt.AddDays(10);
        return
        [
            .. Receipt(),
            .. InformationRequest(),
            new TimerFired(Actor.System, T0.AddHours(20), TimerKind.FirstContactReminder, T0.AddHours(20)),
            new NotificationQueued(Actor.System, T0.AddHours(20), NotificationKind.FirstContactReminder, Recipient.Manager),
            new TimerFired(Actor.System, T0.AddHours(24), TimerKind.FirstContactDeadline, T0.AddHours(24)),
            new NotificationQueued(Actor.System, T0.AddHours(24), NotificationKind.FirstContactEscalation, Recipient.Manager),
            new TimerFired(Actor.System, reminder, TimerKind.InformationReminder, reminder),
            new NotificationQueued(Actor.System, reminder, NotificationKind.InformationReminder, Recipient.Referrer),
            new TimerFired(Actor.System, deadline, TimerKind.InformationDeadline, deadline),
            new Closed(Actor.System, deadline, ClosureReasons.NoResponse, null, null),
            new NotificationQueued(Actor.System, deadline, NotificationKind.ClosedNoResponse, Recipient.Referrer),
            new TimerSet(Actor.System, deadline, TimerKind.RetentionReview, RetentionDue),
        ];
    }

    public static ReferralEvent[] ClosedForNoConsent() => [.. AtStage(Stage.Allocated), .. FirstContactWithoutConsent()];

    /// <summary>The standard story, up to the given stage (Closed: after support).</summary>
    public static ReferralEvent[] AtStage(Stage stage, DateOnly? dateOfBirth = null) => stage switch
    {
        Stage.None => [],
        Stage.AwaitingTriage => Receipt(dateOfBirth: dateOfBirth),
        Stage.AwaitingInformation => [.. Receipt(dateOfBirth: dateOfBirth), .. InformationRequest()],
        Stage.AwaitingAllocation => [.. Receipt(dateOfBirth: dateOfBirth), .. Acceptance()],
        Stage.WaitingList => [.. AtStage(Stage.AwaitingAllocation, dateOfBirth), .. WaitingListPlacement()],
        Stage.Allocated => [.. AtStage(Stage.AwaitingAllocation, dateOfBirth), .. Allocation()],
        Stage.Active => [.. AtStage(Stage.Allocated, dateOfBirth), .. FirstContactWithConsent(), .. SafeChannel()],
        Stage.Closed => [.. AtStage(Stage.Active, dateOfBirth), .. ClosureAfterSupport()],
        Stage.Declined => [.. Receipt(dateOfBirth: dateOfBirth), .. Decline()],
        Stage.Withdrawn => [.. Receipt(dateOfBirth: dateOfBirth), .. Withdrawal()],
        _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, null),
    };

    /// <summary>A Trusted Relationships referral, accepted by the panel and (at <see cref="Stage.Allocated"/>) allocated by it in the at-risk strand.</summary>
    public static ReferralEvent[] TrustedRelationshipsAtStage(Stage stage) => stage switch
    {
        Stage.AwaitingTriage => Receipt(ServicePathway.TrustedRelationships),
        Stage.AwaitingAllocation => [.. Receipt(ServicePathway.TrustedRelationships), .. Acceptance(Panel)],
        Stage.Allocated => [.. TrustedRelationshipsAtStage(Stage.AwaitingAllocation), .. Allocation(Panel, Strand.AtRisk)],
        _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, null),
    };
}
