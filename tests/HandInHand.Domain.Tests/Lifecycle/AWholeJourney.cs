using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Referrals;
using static HandInHand.Domain.Tests.Lifecycle.Cast;
using static HandInHand.Domain.Tests.Lifecycle.Moments;
using static HandInHand.Domain.Tests.Lifecycle.TheReferral;
using C = HandInHand.Domain.Lifecycle.ReferralCommand;

namespace HandInHand.Domain.Tests.Lifecycle;

/// <summary>
/// A referral from arrival to closure, decided and evolved step by step as the engine would, with
/// every timer firing when it comes due. The state at the end is what the reports read.
/// </summary>
public class AWholeJourney
{
    private static readonly DateTimeOffset AllocatedFromWaitingList = T0.AddDays(16);
    private static readonly DateTimeOffset Contacted = AllocatedFromWaitingList.AddHours(20);
    private static readonly DateTimeOffset FirstReview = AllocatedFromWaitingList.AddDays(41);
    private static readonly DateTimeOffset SecondReview = FirstReview.AddDays(40);
    private static readonly DateTimeOffset Closure = SecondReview.AddDays(20);

    private static Journey UpToTheSecondReview() => new Journey()
        .Then(Commands.Receive())
        .Then(new C.Accept(Manager, TriagedAt))
        .Then(new C.PlaceOnWaitingList(Actor.System, TriagedAt))
        .TimerComesDue(TimerKind.FirstContactReminder)
        .TimerComesDue(TimerKind.FirstContactDeadline)
        .TimerComesDue(TimerKind.WaitingListCheck)
        .Then(new C.ConfirmStillNeeded(TheReferrer, TriagedAt.AddDays(15)))
        .Then(new C.Allocate(Actor.System, AllocatedFromWaitingList, "p-1", Manual: false))
        .Then(new C.RecordFirstContact(Practitioner, Contacted.AddHours(1), Contacted, Consent: true))
        .Then(new C.RecordContactChannel(Practitioner, Contacted.AddHours(1), ContactChannel.Email, MarkedSafe: true))
        .TimerComesDue(TimerKind.ReviewReminder)
        .Then(new C.RecordReview(Practitioner, FirstReview, Wheel(5), Lights(), RiskLevel.Medium))
        .TimerComesDue(TimerKind.ReviewReminder)
        .Then(new C.RecordReview(Practitioner, SecondReview, Wheel(7), Lights(), RiskLevel.Standard));

    [Fact]
    public void DuringSupportTheStateHoldsTheNextReviewAndItsClocks()
    {
        var state = UpToTheSecondReview().State;

        Assert.Equal(Stage.Active, state.Stage);
        Assert.Equal("p-1", state.PractitionerId);
        Assert.Equal(AllocatedFromWaitingList, state.AllocatedAt);
        Assert.Null(state.WaitingSince);
        Assert.Equal(Contacted, state.FirstContactAt);
        Assert.True(state.Consent);
        Assert.Equal(2, state.ReviewCount);
        Assert.Equal(RiskLevel.High, state.RiskAtReferral);
        Assert.Equal(RiskLevel.High, state.RiskAtAllocation);
        Assert.Equal(RiskLevel.Standard, state.CurrentRisk);
        Assert.Null(state.RiskAtClosure);
        Assert.Equal(SecondReview.AddDays(42), state.NextReviewDue);
        Assert.Equal(
            new Dictionary<TimerKind, DateTimeOffset>
            {
                [TimerKind.ReviewReminder] = SecondReview.AddDays(39),
                [TimerKind.ReviewOverdue] = SecondReview.AddDays(49),
            },
            state.Timers);
    }

    [Fact]
    public void AfterClosureTheStateHoldsTheOutcomeAndOnlyTheSurveyAndRetentionClocks()
    {
        var journey = UpToTheSecondReview()
            .Then(new C.Close(Practitioner, Closure, "goals met", Wheel(8), RiskLevel.Standard));
        var state = journey.State;

        Assert.Equal(Stage.Closed, state.Stage);
        Assert.Equal(Stage.Active, state.StageBeforeClosure);
        Assert.Equal("goals met", state.ClosureReason);
        Assert.Equal(Closure, state.ClosedAt);
        Assert.Equal(RiskLevel.High, state.RiskAtAllocation);
        Assert.Equal(RiskLevel.Standard, state.RiskAtClosure);
        Assert.Equal(2, state.ReviewCount);
        Assert.Null(state.NextReviewDue);
        Assert.Equal(Contacted, state.FirstContactAt);
        Assert.Equal(0, state.ReopenCount);
        Assert.Equal(
            new Dictionary<TimerKind, DateTimeOffset>
            {
                [TimerKind.SurveyReminder] = Closure.AddDays(7),
                [TimerKind.SurveyExpiry] = Closure.AddDays(28),
                [TimerKind.RetentionReview] = RetentionDue,
            },
            state.Timers);
    }

    [Fact]
    public void TheJourneySendsEachMessageOnceToTheRightPerson()
    {
        var journey = UpToTheSecondReview()
            .Then(new C.Close(Practitioner, Closure, "goals met", Wheel(8), RiskLevel.Standard))
            .TimerComesDue(TimerKind.SurveyReminder)
            .TimerComesDue(TimerKind.SurveyExpiry);

        Assert.Equal(
            [
                (NotificationKind.ReferralAcknowledged, Recipient.Referrer),
                (NotificationKind.ReferralAccepted, Recipient.Referrer),
                (NotificationKind.FirstContactReminder, Recipient.Manager),
                (NotificationKind.FirstContactEscalation, Recipient.Manager),
                (NotificationKind.WaitingListCheck, Recipient.Referrer),
                (NotificationKind.AllocationNotice, PractitionerRecipient),
                (NotificationKind.ReviewReminder, PractitionerRecipient),
                (NotificationKind.ReviewReminder, PractitionerRecipient),
                (NotificationKind.PartnerFeedbackRequest, Recipient.Referrer),
                (NotificationKind.SurveyInvitation, Recipient.YoungPerson),
                (NotificationKind.SurveyReminder, Recipient.YoungPerson),
            ],
            journey.Events.OfType<ReferralEvent.NotificationQueued>().Select(n => (n.Kind, n.Recipient)));
        Assert.Equal([TimerKind.RetentionReview], journey.State.Timers.Keys);
    }

    [Fact]
    public void ReplayingTheRecordedHistoryGivesTheSameState()
    {
        var journey = UpToTheSecondReview()
            .Then(new C.Close(Practitioner, Closure, "goals met", Wheel(8), RiskLevel.Standard));

        var replayed = ReferralState.Initial.Evolve(journey.Events);

        Assert.Equal(journey.State.Stage, replayed.Stage);
        Assert.Equal(journey.State.Timers, replayed.Timers);
        Assert.Equal(journey.State.ReviewCount, replayed.ReviewCount);
        Assert.Equal(journey.State.RiskAtClosure, replayed.RiskAtClosure);
    }

    [Fact]
    public void OnTheTrustedRelationshipsPathwayThePanelTakesTheCaseFromReferralToAStrandAndTheRiskChangeIsRecorded()
    {
        var allocated = T0.AddDays(7);
        var closed = allocated.AddDays(120);

        var state = new Journey()
            .Then(Commands.Receive(pathway: ServicePathway.TrustedRelationships))
            .Then(new C.Accept(Panel, TriagedAt))
            .Then(new C.Allocate(Panel, allocated, "p-1", Manual: true, Strand.SubjectTo))
            .Then(new C.RecordFirstContact(Practitioner, allocated.AddDays(1), allocated.AddHours(20), Consent: true))
            .Then(new C.RecordReview(Practitioner, allocated.AddDays(40), Wheel(5), Lights(), RiskLevel.Medium))
            .Then(new C.Close(Practitioner, closed, "goals met", Wheel(7), RiskLevel.Medium))
            .State;

        Assert.Equal(Stage.Closed, state.Stage);
        Assert.Equal(Strand.SubjectTo, state.Strand);
        Assert.Equal(RiskLevel.High, state.RiskAtAllocation);
        Assert.Equal(RiskLevel.Medium, state.RiskAtClosure);
    }
}
