using HandInHand.Domain.Lifecycle;
using static HandInHand.Domain.Lifecycle.ReferralEvent;
using static HandInHand.Domain.Tests.Lifecycle.Cast;
using static HandInHand.Domain.Tests.Lifecycle.Moments;
using static HandInHand.Domain.Tests.Lifecycle.Spec;
using static HandInHand.Domain.Tests.Lifecycle.TheReferral;
using C = HandInHand.Domain.Lifecycle.ReferralCommand;

namespace HandInHand.Domain.Tests.Lifecycle;

public class AskingForMoreInformation
{
    private static readonly DateTimeOffset FridayAfternoon = new(2026, 11, 27, 15, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset MondayAfternoon = new(2026, 11, 30, 15, 0, 0, TimeSpan.Zero);

    [Fact]
    public void InformationFromTheReferrerReturnsTheReferralToTriageWithAFreshTriageClock()
    {
        var state = Given(Histories.AtStage(Stage.AwaitingInformation))
            .When(new C.ReceiveInformation(TheReferrer, FridayAfternoon))
            .Then(
                new InformationReceived(TheReferrer, FridayAfternoon),
                new TimerCancelled(TheReferrer, FridayAfternoon, TimerKind.InformationReminder),
                new TimerCancelled(TheReferrer, FridayAfternoon, TimerKind.InformationDeadline),
                new TimerSet(TheReferrer, FridayAfternoon, TimerKind.TriageReminder, FridayAfternoon.AddHours(4)),
                new TimerSet(TheReferrer, FridayAfternoon, TimerKind.TriageDeadline, MondayAfternoon));

        Assert.Equal(Stage.AwaitingTriage, state.Stage);
    }

    [Fact]
    public void TheManagerMayRecordInformationTheReferrerGaveByPhone()
    {
        Given(Histories.AtStage(Stage.AwaitingInformation))
            .When(new C.ReceiveInformation(Manager, FridayAfternoon))
            .Then(
                new InformationReceived(Manager, FridayAfternoon),
                new TimerCancelled(Manager, FridayAfternoon, TimerKind.InformationReminder),
                new TimerCancelled(Manager, FridayAfternoon, TimerKind.InformationDeadline),
                new TimerSet(Manager, FridayAfternoon, TimerKind.TriageReminder, FridayAfternoon.AddHours(4)),
                new TimerSet(Manager, FridayAfternoon, TimerKind.TriageDeadline, MondayAfternoon));
    }

    [Fact]
    public void InformationArrivingAfterTheReminderHasOnlyTheDeadlineLeftToCancel()
    {
        var reminder = TriagedAt.AddDays(3);
        var at = reminder.AddDays(1); // Friday 27 November, 11:00
        var mondayAt = at.AddDays(3);

        Given(
            [
                .. Histories.AtStage(Stage.AwaitingInformation),
                new TimerFired(Actor.System, reminder, TimerKind.InformationReminder, reminder),
                new NotificationQueued(Actor.System, reminder, NotificationKind.InformationReminder, Recipient.Referrer),
            ])
            .When(new C.ReceiveInformation(TheReferrer, at))
            .Then(
                new InformationReceived(TheReferrer, at),
                new TimerCancelled(TheReferrer, at, TimerKind.InformationDeadline),
                new TimerSet(TheReferrer, at, TimerKind.TriageReminder, at.AddHours(4)),
                new TimerSet(TheReferrer, at, TimerKind.TriageDeadline, mondayAt));
    }

    [Fact]
    public void InformationReceivedTwiceChangesNothingTheSecondTime()
    {
        Given(
            [
                .. Histories.AtStage(Stage.AwaitingInformation),
                new InformationReceived(TheReferrer, FridayAfternoon),
                new TimerCancelled(TheReferrer, FridayAfternoon, TimerKind.InformationReminder),
                new TimerCancelled(TheReferrer, FridayAfternoon, TimerKind.InformationDeadline),
                new TimerSet(TheReferrer, FridayAfternoon, TimerKind.TriageReminder, FridayAfternoon.AddHours(4)),
                new TimerSet(TheReferrer, FridayAfternoon, TimerKind.TriageDeadline, MondayAfternoon),
            ])
            .When(new C.ReceiveInformation(TheReferrer, FridayAfternoon.AddMinutes(1)))
            .ThenNothingHappens();
    }

    [Fact]
    public void InformationNobodyAskedForChangesNothing()
    {
        Given(Histories.Receipt())
            .When(new C.ReceiveInformation(TheReferrer, TriagedAt))
            .ThenNothingHappens();
    }

    [Theory]
    [InlineData(Role.Practitioner)]
    [InlineData(Role.YoungPerson)]
    [InlineData(Role.Panel)]
    [InlineData(Role.System)]
    public void OnlyTheReferrerOrTheManagerGivesMoreInformation(Role role)
    {
        Given(Histories.AtStage(Stage.AwaitingInformation))
            .When(new C.ReceiveInformation(Playing(role), FridayAfternoon))
            .ThenRejected(RejectionKind.NotAllowed);
    }
}
