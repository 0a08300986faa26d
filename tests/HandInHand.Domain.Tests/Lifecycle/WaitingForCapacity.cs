using HandInHand.Domain.Lifecycle;
using static HandInHand.Domain.Lifecycle.ReferralEvent;
using static HandInHand.Domain.Tests.Lifecycle.Cast;
using static HandInHand.Domain.Tests.Lifecycle.Moments;
using static HandInHand.Domain.Tests.Lifecycle.Spec;
using C = HandInHand.Domain.Lifecycle.ReferralCommand;

namespace HandInHand.Domain.Tests.Lifecycle;

public class WaitingForCapacity
{
    [Fact]
    public void ANewcomerToTheWaitingListIsCheckedWithTheReferrerInAFortnight()
    {
        var state = Given(Histories.AtStage(Stage.AwaitingAllocation))
            .When(new C.PlaceOnWaitingList(Manager, WaitingAt))
            .Then(
                new PlacedOnWaitingList(Manager, WaitingAt),
                new TimerSet(Manager, WaitingAt, TimerKind.WaitingListCheck, WaitingAt.AddDays(14)));

        Assert.Equal(Stage.WaitingList, state.Stage);
        Assert.Equal(WaitingAt, state.WaitingSince);
    }

    [Fact]
    public void TheAutomaticAllocationPlacesAReferralOnTheWaitingListWhenNobodyHasCapacity()
    {
        Given(Histories.AtStage(Stage.AwaitingAllocation))
            .When(new C.PlaceOnWaitingList(Actor.System, WaitingAt))
            .Then(
                new PlacedOnWaitingList(Actor.System, WaitingAt),
                new TimerSet(Actor.System, WaitingAt, TimerKind.WaitingListCheck, WaitingAt.AddDays(14)));
    }

    [Fact]
    public void PlacingOnTheWaitingListTwiceChangesNothingTheSecondTime()
    {
        Given(Histories.AtStage(Stage.WaitingList))
            .When(new C.PlaceOnWaitingList(Actor.System, WaitingAt.AddMinutes(1)))
            .ThenNothingHappens();
    }

    [Theory]
    [InlineData(Role.Referrer)]
    [InlineData(Role.Practitioner)]
    [InlineData(Role.Panel)]
    public void OnlyTheManagerOrTheSystemPlacesAReferralOnTheWaitingList(Role role)
    {
        Given(Histories.AtStage(Stage.AwaitingAllocation))
            .When(new C.PlaceOnWaitingList(Playing(role), WaitingAt))
            .ThenRejected(RejectionKind.NotAllowed);
    }

    [Theory]
    [InlineData(Role.Referrer)]
    [InlineData(Role.Manager)]
    public void TheReferrerOrTheManagerConfirmsAWaitingReferralIsStillNeededWithoutMovingTheNextCheck(Role role)
    {
        var by = Playing(role);
        var at = WaitingAt.AddDays(15);
        var before = Given(Histories.AtStage(Stage.WaitingList)).State;

        var state = Given(Histories.AtStage(Stage.WaitingList))
            .When(new C.ConfirmStillNeeded(by, at))
            .Then(new StillNeededConfirmed(by, at));

        Assert.Equal(Stage.WaitingList, state.Stage);
        Assert.Equal(WaitingAt, state.WaitingSince);
        Assert.Equal(before.Timers, state.Timers);
    }

    [Theory]
    [InlineData(Role.Practitioner)]
    [InlineData(Role.YoungPerson)]
    [InlineData(Role.System)]
    public void OnlyTheReferrerOrTheManagerConfirmsAWaitingReferralIsStillNeeded(Role role)
    {
        Given(Histories.AtStage(Stage.WaitingList))
            .When(new C.ConfirmStillNeeded(Playing(role), WaitingAt.AddDays(15)))
            .ThenRejected(RejectionKind.NotAllowed);
    }
}

public class CatchingUpAfterAnOutage
{
    [Fact]
    public void AWaitingListCheckFiredLongAfterItsDueTimeAsksOnceAndSkipsTheMissedFortnights()
    {
        var due = WaitingAt.AddDays(14);
        var late = due.AddDays(60);

        Given(Histories.AtStage(Stage.WaitingList))
            .When(new C.FireTimer(Actor.System, late, TimerKind.WaitingListCheck, due))
            .Then(
                new TimerFired(Actor.System, late, TimerKind.WaitingListCheck, due),
                new NotificationQueued(Actor.System, late, NotificationKind.WaitingListCheck, Recipient.Referrer),
                new TimerSet(Actor.System, late, TimerKind.WaitingListCheck, due.AddDays(70)));
    }

    [Fact]
    public void AMissedFirstContactDeadlineStaysVisibleUntilFirstContactIsRecorded()
    {
        var history = Histories.AtStage(Stage.Allocated);
        var state = ReferralState.Initial.Evolve(history);
        var due = state.Timers[TimerKind.FirstContactDeadline];

        var missed = state.Evolve(new TimerFired(Actor.System, due, TimerKind.FirstContactDeadline, due));
        Assert.Equal(due, missed.Missed[TimerKind.FirstContactDeadline]);

        var met = missed.Evolve(new FirstContactRecorded(Practitioner, due.AddHours(2), due.AddHours(1), Consent: true));
        Assert.Empty(met.Missed);
    }

    [Fact]
    public void TheStateKeepsHowOftenTheReferrerWasAskedWhetherSupportIsStillNeededAndWhenTheyLastConfirmed()
    {
        var waiting = ReferralState.Initial.Evolve(Histories.AtStage(Stage.WaitingList));
        Assert.Equal((0, null, null), (waiting.StillNeededAsked, waiting.StillNeededAskedAt, waiting.StillNeededConfirmedAt));

        var first = WaitingAt.AddDays(14);
        var second = WaitingAt.AddDays(28);
        var state = waiting.Evolve(
        [
            new NotificationQueued(Actor.System, first, NotificationKind.WaitingListCheck, Recipient.Referrer),
            new StillNeededConfirmed(TheReferrer, first.AddDays(1)),
            new NotificationQueued(Actor.System, second, NotificationKind.TriageReminder, Recipient.Manager),
            new NotificationQueued(Actor.System, second, NotificationKind.WaitingListCheck, Recipient.Referrer),
        ]);

        Assert.Equal((2, second, first.AddDays(1)), (state.StillNeededAsked, state.StillNeededAskedAt, state.StillNeededConfirmedAt));
    }
}
