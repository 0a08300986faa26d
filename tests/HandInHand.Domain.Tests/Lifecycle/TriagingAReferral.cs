using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Referrals;
using static HandInHand.Domain.Lifecycle.ReferralEvent;
using static HandInHand.Domain.Tests.Lifecycle.Cast;
using static HandInHand.Domain.Tests.Lifecycle.Moments;
using static HandInHand.Domain.Tests.Lifecycle.Spec;
using static HandInHand.Domain.Tests.Lifecycle.TheReferral;
using C = HandInHand.Domain.Lifecycle.ReferralCommand;

namespace HandInHand.Domain.Tests.Lifecycle;

public class TriagingAReferral
{
    [Fact]
    public void AcceptingStopsTheTriageClockAndTellsTheReferrerButTheFirstContactClockRunsOn()
    {
        var state = Given(Histories.Receipt())
            .When(new C.Accept(Manager, TriagedAt))
            .Then(
                new Accepted(Manager, TriagedAt),
                new TimerCancelled(Manager, TriagedAt, TimerKind.TriageReminder),
                new TimerCancelled(Manager, TriagedAt, TimerKind.TriageDeadline),
                new NotificationQueued(Manager, TriagedAt, NotificationKind.ReferralAccepted, Recipient.Referrer));

        Assert.Equal(Stage.AwaitingAllocation, state.Stage);
        Assert.Equal([TimerKind.FirstContactReminder, TimerKind.FirstContactDeadline], state.Timers.Keys);
    }

    [Fact]
    public void AcceptingAfterTheTriageClockRanOutHasNoTriageTimerLeftToCancel()
    {
        var reminder = T0.AddHours(4);
        var deadline = T0.AddDays(1);
        var late = deadline.AddHours(2);

        Given(
            [
                .. Histories.Receipt(),
                new TimerFired(Actor.System, reminder, TimerKind.TriageReminder, reminder),
                new NotificationQueued(Actor.System, reminder, NotificationKind.TriageReminder, Recipient.Manager),
                new TimerFired(Actor.System, deadline, TimerKind.TriageDeadline, deadline),
                new NotificationQueued(Actor.System, deadline, NotificationKind.TriageEscalation, Recipient.Manager),
            ])
            .When(new C.Accept(Manager, late))
            .Then(
                new Accepted(Manager, late),
                new NotificationQueued(Manager, late, NotificationKind.ReferralAccepted, Recipient.Referrer));
    }

    [Fact]
    public void AcceptingTwiceChangesNothingTheSecondTime()
    {
        Given(Histories.AtStage(Stage.AwaitingAllocation))
            .When(new C.Accept(Manager, TriagedAt.AddMinutes(1)))
            .ThenNothingHappens();
    }

    [Fact]
    public void DecliningStopsEveryClockTellsTheReferrerAndStartsTheRetentionClock()
    {
        var state = Given(Histories.Receipt())
            .When(new C.Decline(Manager, TriagedAt, "  outside the service's area  ", NotTakenReason.Criteria))
            .Then(
                new Declined(Manager, TriagedAt, "outside the service's area", NotTakenReason.Criteria),
                new TimerCancelled(Manager, TriagedAt, TimerKind.FirstContactReminder),
                new TimerCancelled(Manager, TriagedAt, TimerKind.FirstContactDeadline),
                new TimerCancelled(Manager, TriagedAt, TimerKind.TriageReminder),
                new TimerCancelled(Manager, TriagedAt, TimerKind.TriageDeadline),
                new NotificationQueued(Manager, TriagedAt, NotificationKind.ReferralDeclined, Recipient.Referrer),
                new TimerSet(Manager, TriagedAt, TimerKind.RetentionReview, RetentionDue));

        Assert.Equal(Stage.Declined, state.Stage);
        Assert.False(state.IsOpen);
        Assert.Equal("outside the service's area", state.ClosureReason);
        Assert.Equal(TriagedAt, state.ClosedAt);
        Assert.Equal([TimerKind.RetentionReview], state.Timers.Keys);
    }

    [Fact]
    public void DecliningWhileWaitingForInformationStopsTheInformationClock()
    {
        var at = TriagedAt.AddDays(2);

        Given(Histories.AtStage(Stage.AwaitingInformation))
            .When(new C.Decline(Manager, at, "criteria not met", NotTakenReason.Criteria))
            .Then(
                new Declined(Manager, at, "criteria not met", NotTakenReason.Criteria),
                new TimerCancelled(Manager, at, TimerKind.FirstContactReminder),
                new TimerCancelled(Manager, at, TimerKind.FirstContactDeadline),
                new TimerCancelled(Manager, at, TimerKind.InformationReminder),
                new TimerCancelled(Manager, at, TimerKind.InformationDeadline),
                new NotificationQueued(Manager, at, NotificationKind.ReferralDeclined, Recipient.Referrer),
                new TimerSet(Manager, at, TimerKind.RetentionReview, RetentionDue));
    }

    [Fact]
    public void DecliningTwiceChangesNothingTheSecondTime()
    {
        Given(Histories.AtStage(Stage.Declined))
            .When(new C.Decline(Manager, TriagedAt.AddMinutes(1), "outside the service's area", NotTakenReason.Criteria))
            .ThenNothingHappens();
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void ADeclineNeedsAReason(string reason)
    {
        Given(Histories.Receipt())
            .When(new C.Decline(Manager, TriagedAt, reason, NotTakenReason.Criteria))
            .ThenRejected(RejectionKind.Invalid, "reason");
    }

    [Fact]
    public void ADeclineReasonIsAtMostTwoThousandCharacters()
    {
        Given(Histories.Receipt())
            .When(new C.Decline(Manager, TriagedAt, new string('x', 2001), NotTakenReason.Criteria))
            .ThenRejected(RejectionKind.Invalid, "reason");
    }

    [Fact]
    public void RequestingMoreInformationPausesTriageAndStartsTheInformationClock()
    {
        var state = Given(Histories.Receipt())
            .When(new C.RequestInformation(Manager, TriagedAt))
            .Then(
                new InformationRequested(Manager, TriagedAt),
                new TimerCancelled(Manager, TriagedAt, TimerKind.TriageReminder),
                new TimerCancelled(Manager, TriagedAt, TimerKind.TriageDeadline),
                new NotificationQueued(Manager, TriagedAt, NotificationKind.InformationRequested, Recipient.Referrer),
                new TimerSet(Manager, TriagedAt, TimerKind.InformationReminder, TriagedAt.AddDays(3)),
                new TimerSet(Manager, TriagedAt, TimerKind.InformationDeadline, TriagedAt.AddDays(10)));

        Assert.Equal(Stage.AwaitingInformation, state.Stage);
    }

    [Fact]
    public void RequestingInformationTwiceChangesNothingTheSecondTime()
    {
        Given(Histories.AtStage(Stage.AwaitingInformation))
            .When(new C.RequestInformation(Manager, TriagedAt.AddMinutes(1)))
            .ThenNothingHappens();
    }

    public static TheoryData<string, Role> TriageDecisionsByOthers()
    {
        var data = new TheoryData<string, Role>();
        foreach (var decision in new[] { "Accept", "Decline", "RequestInformation" })
        {
            foreach (var role in new[] { Role.Referrer, Role.Practitioner, Role.Panel, Role.YoungPerson, Role.Analyst, Role.Admin, Role.System })
            {
                data.Add(decision, role);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(TriageDecisionsByOthers))]
    public void OnlyTheManagerTriagesAHandInHandReferral(string decision, Role role)
    {
        var rejected = Given(Histories.Receipt())
            .When(TriageDecision(decision, Playing(role)))
            .ThenRejected(RejectionKind.NotAllowed);

        Assert.Contains(role.ToString(), rejected.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Accept")]
    [InlineData("Decline")]
    [InlineData("RequestInformation")]
    public void OnTheTrustedRelationshipsPathwayTheManagerDoesNotTriageAlone(string decision)
    {
        Given(Histories.Receipt(ServicePathway.TrustedRelationships))
            .When(TriageDecision(decision, Manager))
            .ThenRejected(RejectionKind.NotAllowed);
    }

    [Fact]
    public void ThePanelAcceptsATrustedRelationshipsReferral()
    {
        Given(Histories.Receipt(ServicePathway.TrustedRelationships))
            .When(new C.Accept(Panel, TriagedAt))
            .Then(
                new Accepted(Panel, TriagedAt),
                new TimerCancelled(Panel, TriagedAt, TimerKind.TriageReminder),
                new TimerCancelled(Panel, TriagedAt, TimerKind.TriageDeadline),
                new NotificationQueued(Panel, TriagedAt, NotificationKind.ReferralAccepted, Recipient.Referrer));
    }

    private static ReferralCommand TriageDecision(string decision, Actor by) => decision switch
    {
        "Accept" => new C.Accept(by, TriagedAt),
        "Decline" => new C.Decline(by, TriagedAt, "criteria not met", NotTakenReason.Criteria),
        "RequestInformation" => new C.RequestInformation(by, TriagedAt),
        _ => throw new ArgumentOutOfRangeException(nameof(decision), decision, null),
    };
}
