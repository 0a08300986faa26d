using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Referrals;
using static HandInHand.Domain.Lifecycle.ReferralEvent;
using static HandInHand.Domain.Tests.Lifecycle.Cast;
using static HandInHand.Domain.Tests.Lifecycle.Moments;
using static HandInHand.Domain.Tests.Lifecycle.Spec;
using static HandInHand.Domain.Tests.Lifecycle.TheReferral;
using C = HandInHand.Domain.Lifecycle.ReferralCommand;

namespace HandInHand.Domain.Tests.Lifecycle;

public class ReopeningACase
{
    /// <summary>Monday 14 June 2027, 10:00: one working day after <see cref="Moments.Later"/>, a Friday.</summary>
    private static readonly DateTimeOffset MondayAfterLater = new(2027, 6, 14, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ACaseClosedAfterSupportReopensForAllocationAndItsSurveyAndRetentionClocksStop()
    {
        var state = Given(Histories.AtStage(Stage.Closed))
            .When(new C.Reopen(Manager, Later, " new concerns from school "))
            .Then(
                new Reopened(Manager, Later, "new concerns from school", Stage.AwaitingAllocation),
                new TimerCancelled(Manager, Later, TimerKind.SurveyReminder),
                new TimerCancelled(Manager, Later, TimerKind.SurveyExpiry),
                new TimerCancelled(Manager, Later, TimerKind.RetentionReview));

        Assert.Equal(Stage.AwaitingAllocation, state.Stage);
        Assert.True(state.IsOpen);
        Assert.Equal(1, state.ReopenCount);
        Assert.Null(state.PractitionerId);
        Assert.Null(state.ClosedAt);
        Assert.Null(state.ClosureReason);
        Assert.Null(state.RiskAtClosure);
        Assert.Null(state.NextReviewDue);
        Assert.Empty(state.Timers);
        Assert.Equal(ContactedAt, state.FirstContactAt);
        Assert.Equal(RiskLevel.High, state.RiskAtAllocation);
    }

    [Fact]
    public void AReopenedCaseThatWasInSupportGoesStraightBackIntoSupportWhenReallocatedWithAFreshReviewSchedule()
    {
        var at = Later.AddHours(2);

        var state = Given(
            [
                .. Histories.AtStage(Stage.Closed),
                new Reopened(Manager, Later, "new concerns from school", Stage.AwaitingAllocation),
                new TimerCancelled(Manager, Later, TimerKind.SurveyReminder),
                new TimerCancelled(Manager, Later, TimerKind.SurveyExpiry),
                new TimerCancelled(Manager, Later, TimerKind.RetentionReview),
            ])
            .When(new C.Allocate(Actor.System, at, "p-2", Manual: false))
            .Then(
                new Allocated(Actor.System, at, "p-2", false, null),
                new NotificationQueued(Actor.System, at, NotificationKind.AllocationNotice, OtherPractitionerRecipient),
                new ReviewScheduled(Actor.System, at, at.AddDays(42)),
                new TimerSet(Actor.System, at, TimerKind.ReviewReminder, at.AddDays(39)),
                new TimerSet(Actor.System, at, TimerKind.ReviewOverdue, at.AddDays(49)));

        Assert.Equal(Stage.Active, state.Stage);
        Assert.Equal("p-2", state.PractitionerId);
    }

    [Fact]
    public void ACaseClosedForNoResponseReopensToTriageWithAFreshTriageClock()
    {
        var state = Given(Histories.ClosedForNoResponse())
            .When(new C.Reopen(Manager, Later, "the referrer answered at last"))
            .Then(
                new Reopened(Manager, Later, "the referrer answered at last", Stage.AwaitingTriage),
                new TimerCancelled(Manager, Later, TimerKind.RetentionReview),
                new TimerSet(Manager, Later, TimerKind.TriageReminder, Later.AddHours(4)),
                new TimerSet(Manager, Later, TimerKind.TriageDeadline, MondayAfterLater));

        Assert.Equal(Stage.AwaitingTriage, state.Stage);
        Assert.Equal(1, state.ReopenCount);
        Assert.Equal([TimerKind.TriageReminder, TimerKind.TriageDeadline], state.Timers.Keys);
    }

    [Fact]
    public void ACaseClosedForNoConsentReopensForAllocation()
    {
        var state = Given(Histories.ClosedForNoConsent())
            .When(new C.Reopen(Manager, Later, "the young person now wants support"))
            .Then(
                new Reopened(Manager, Later, "the young person now wants support", Stage.AwaitingAllocation),
                new TimerCancelled(Manager, Later, TimerKind.RetentionReview));

        Assert.Equal(Stage.AwaitingAllocation, state.Stage);
        Assert.False(state.Consent);
    }

    [Fact]
    public void ACaseReopenedAfterARefusalNeedsANewFirstContactOnceReallocated()
    {
        var allocated = Later.AddHours(1);
        var contacted = Later.AddHours(5);

        var journey = new Journey()
            .Then(Commands.ToReach(Stage.Allocated))
            .Then(Commands.RecordFirstContact(consent: false))
            .Then(new C.Reopen(Manager, Later, "the young person now wants support"))
            .Then(new C.Allocate(Manager, allocated, "p-1", Manual: true));

        Assert.Equal(Stage.Allocated, journey.State.Stage);

        journey.Then(new C.RecordFirstContact(Practitioner, contacted, contacted, Consent: true));

        Assert.Equal(Stage.Active, journey.State.Stage);
        Assert.Equal(contacted, journey.State.FirstContactAt);
        Assert.True(journey.State.Consent);
    }

    [Fact]
    public void EveryReopeningIsCountedAndTheHistoryIsKept()
    {
        var second = Later.AddDays(60);

        var journey = new Journey()
            .Then(Commands.ToReach(Stage.Closed))
            .Then(new C.Reopen(Manager, Later, "new concerns"))
            .Then(new C.Allocate(Manager, Later.AddHours(1), "p-1", Manual: true))
            .Then(new C.Close(Practitioner, Later.AddDays(30), "goals met again", Wheel(8), RiskLevel.Standard))
            .Then(new C.Reopen(Manager, second, "new concerns again"));

        Assert.Equal(2, journey.State.ReopenCount);
        Assert.Equal(Stage.AwaitingAllocation, journey.State.Stage);
        Assert.Equal(2, journey.Events.OfType<Closed>().Count());
        Assert.Equal(2, journey.Events.OfType<Reopened>().Count());
        Assert.Equal(TheReferral.Reference, journey.State.Reference);
    }

    [Theory]
    [InlineData(Role.Practitioner)]
    [InlineData(Role.Referrer)]
    [InlineData(Role.Panel)]
    [InlineData(Role.System)]
    public void OnlyTheManagerReopensAHandInHandCase(Role role)
    {
        Given(Histories.AtStage(Stage.Closed))
            .When(new C.Reopen(Playing(role), Later, "new concerns"))
            .ThenRejected(RejectionKind.NotAllowed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void AReopeningNeedsAReason(string reason)
    {
        Given(Histories.AtStage(Stage.Closed))
            .When(new C.Reopen(Manager, Later, reason))
            .ThenRejected(RejectionKind.Invalid, "reason");
    }
}
