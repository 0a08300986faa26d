using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Referrals;
using static HandInHand.Domain.Lifecycle.ReferralEvent;
using static HandInHand.Domain.Tests.Lifecycle.Cast;
using static HandInHand.Domain.Tests.Lifecycle.Moments;
using static HandInHand.Domain.Tests.Lifecycle.Spec;
using static HandInHand.Domain.Tests.Lifecycle.TheReferral;
using C = HandInHand.Domain.Lifecycle.ReferralCommand;

namespace HandInHand.Domain.Tests.Lifecycle;

public class ReceivingAReferral
{
    [Fact]
    public void ReceivingAReferralAcknowledgesItAndStartsTheFirstContactAndTriageClocks()
    {
        var state = Given()
            .When(new C.Receive(Actor.System, T0, Reference, ServicePathway.HandInHand, Region, RiskLevel.High, DateOfBirth, []))
            .Then(
                new Received(Actor.System, T0, Reference, ServicePathway.HandInHand, Region, RiskLevel.High, DateOfBirth, []),
                new NotificationQueued(Actor.System, T0, NotificationKind.ReferralAcknowledged, Recipient.Referrer),
                new TimerSet(Actor.System, T0, TimerKind.FirstContactReminder, T0.AddHours(20)),
                new TimerSet(Actor.System, T0, TimerKind.FirstContactDeadline, T0.AddHours(24)),
                new TimerSet(Actor.System, T0, TimerKind.TriageReminder, T0.AddHours(4)),
                new TimerSet(Actor.System, T0, TimerKind.TriageDeadline, T0.AddDays(1)));

        Assert.Equal(Stage.AwaitingTriage, state.Stage);
        Assert.True(state.IsOpen);
        Assert.Equal(Reference, state.Reference);
        Assert.Equal(Region, state.Region);
        Assert.Equal(RiskLevel.High, state.RiskAtReferral);
        Assert.Equal(RiskLevel.High, state.CurrentRisk);
        Assert.Null(state.RiskAtAllocation);
        Assert.Equal(T0, state.ReceivedAt);
        Assert.Equal(DateOfBirth, state.DateOfBirth);
    }

    [Fact]
    public void AReferralReceivedOnAFridayIsDueForTriageOnMonday()
    {
        var friday = new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
        var monday = new DateTimeOffset(2026, 11, 30, 10, 0, 0, TimeSpan.Zero);

        Given()
            .When(Commands.Receive(friday))
            .Then(
                new Received(Actor.System, friday, Reference, ServicePathway.HandInHand, Region, RiskLevel.High, DateOfBirth, []),
                new NotificationQueued(Actor.System, friday, NotificationKind.ReferralAcknowledged, Recipient.Referrer),
                new TimerSet(Actor.System, friday, TimerKind.FirstContactReminder, friday.AddHours(20)),
                new TimerSet(Actor.System, friday, TimerKind.FirstContactDeadline, friday.AddHours(24)),
                new TimerSet(Actor.System, friday, TimerKind.TriageReminder, friday.AddHours(4)),
                new TimerSet(Actor.System, friday, TimerKind.TriageDeadline, monday));
    }

    [Fact]
    public void AReferralReceivedOnASaturdayIsDueForTriageOnMondayWhileTheFirstContactClockKeepsCalendarHours()
    {
        var saturday = new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);
        var monday = new DateTimeOffset(2026, 11, 30, 10, 0, 0, TimeSpan.Zero);

        Given()
            .When(Commands.Receive(saturday))
            .Then(
                new Received(Actor.System, saturday, Reference, ServicePathway.HandInHand, Region, RiskLevel.High, DateOfBirth, []),
                new NotificationQueued(Actor.System, saturday, NotificationKind.ReferralAcknowledged, Recipient.Referrer),
                new TimerSet(Actor.System, saturday, TimerKind.FirstContactReminder, new DateTimeOffset(2026, 11, 29, 6, 0, 0, TimeSpan.Zero)),
                new TimerSet(Actor.System, saturday, TimerKind.FirstContactDeadline, new DateTimeOffset(2026, 11, 29, 10, 0, 0, TimeSpan.Zero)),
                new TimerSet(Actor.System, saturday, TimerKind.TriageReminder, saturday.AddHours(4)),
                new TimerSet(Actor.System, saturday, TimerKind.TriageDeadline, monday));
    }

    [Fact]
    public void PossibleDuplicatesFoundAtIntakeTravelWithTheReferral()
    {
        var state = Given()
            .When(Commands.Receive() with { PossibleDuplicates = ["HH-2026-00017", "HH-2025-00230"] })
            .Then(
                new Received(Actor.System, T0, Reference, ServicePathway.HandInHand, Region, RiskLevel.High, DateOfBirth, ["HH-2026-00017", "HH-2025-00230"]),
                new NotificationQueued(Actor.System, T0, NotificationKind.ReferralAcknowledged, Recipient.Referrer),
                new TimerSet(Actor.System, T0, TimerKind.FirstContactReminder, T0.AddHours(20)),
                new TimerSet(Actor.System, T0, TimerKind.FirstContactDeadline, T0.AddHours(24)),
                new TimerSet(Actor.System, T0, TimerKind.TriageReminder, T0.AddHours(4)),
                new TimerSet(Actor.System, T0, TimerKind.TriageDeadline, T0.AddDays(1)));

        Assert.Equal(["HH-2026-00017", "HH-2025-00230"], state.PossibleDuplicates);
    }

    [Fact]
    public void ATrustedRelationshipsReferralIsReceivedOnItsPathway()
    {
        var state = Given()
            .When(Commands.Receive(pathway: ServicePathway.TrustedRelationships))
            .Then(Histories.Receipt(ServicePathway.TrustedRelationships));

        Assert.Equal(ServicePathway.TrustedRelationships, state.Pathway);
    }

    [Fact]
    public void ReceivingTheSameReferralTwiceChangesNothing()
    {
        Given(Histories.Receipt())
            .When(Commands.Receive(T0.AddMinutes(5)))
            .ThenNothingHappens();
    }

    [Fact]
    public void ReceivingASecondReferralIntoAnExistingOneIsOutOfStep()
    {
        var rejected = Given(Histories.Receipt())
            .When(Commands.Receive(reference: "HH-2026-00043"))
            .ThenRejected(RejectionKind.WrongStep);

        Assert.Contains("AwaitingTriage", rejected.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Role.Manager)]
    [InlineData(Role.Referrer)]
    [InlineData(Role.Panel)]
    [InlineData(Role.Admin)]
    public void OnlyTheSystemReceivesAReferral(Role role)
    {
        Given()
            .When(Commands.Receive() with { By = Playing(role) })
            .ThenRejected(RejectionKind.NotAllowed);
    }
}
