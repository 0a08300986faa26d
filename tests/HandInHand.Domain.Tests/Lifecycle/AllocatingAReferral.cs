using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Referrals;
using static HandInHand.Domain.Lifecycle.ReferralEvent;
using static HandInHand.Domain.Tests.Lifecycle.Cast;
using static HandInHand.Domain.Tests.Lifecycle.Moments;
using static HandInHand.Domain.Tests.Lifecycle.Spec;
using static HandInHand.Domain.Tests.Lifecycle.TheReferral;
using C = HandInHand.Domain.Lifecycle.ReferralCommand;

namespace HandInHand.Domain.Tests.Lifecycle;

public class AllocatingAReferral
{
    [Fact]
    public void TheSystemAllocatesAnAcceptedReferralTellsThePractitionerAndSchedulesTheFirstReviewInSixWeeks()
    {
        var state = Given(Histories.AtStage(Stage.AwaitingAllocation))
            .When(new C.Allocate(Actor.System, AllocatedAt, "p-1", Manual: false))
            .Then(
                new Allocated(Actor.System, AllocatedAt, "p-1", false, null),
                new NotificationQueued(Actor.System, AllocatedAt, NotificationKind.AllocationNotice, PractitionerRecipient),
                new ReviewScheduled(Actor.System, AllocatedAt, AllocatedAt.AddDays(42)),
                new TimerSet(Actor.System, AllocatedAt, TimerKind.ReviewReminder, AllocatedAt.AddDays(39)),
                new TimerSet(Actor.System, AllocatedAt, TimerKind.ReviewOverdue, AllocatedAt.AddDays(49)));

        Assert.Equal(Stage.Allocated, state.Stage);
        Assert.Equal("p-1", state.PractitionerId);
        Assert.Equal(AllocatedAt, state.AllocatedAt);
        Assert.Equal(RiskLevel.High, state.RiskAtAllocation);
        Assert.Equal(AllocatedAt.AddDays(42), state.NextReviewDue);
        Assert.Equal(
            [TimerKind.FirstContactReminder, TimerKind.FirstContactDeadline, TimerKind.ReviewReminder, TimerKind.ReviewOverdue],
            state.Timers.Keys);
    }

    [Fact]
    public void TheManagerAllocatesFromTheWaitingListAndTheWaitingListChecksStop()
    {
        var at = WaitingAt.AddHours(3);

        var state = Given(Histories.AtStage(Stage.WaitingList))
            .When(new C.Allocate(Manager, at, "p-1", Manual: true))
            .Then(
                new Allocated(Manager, at, "p-1", true, null),
                new TimerCancelled(Manager, at, TimerKind.WaitingListCheck),
                new NotificationQueued(Manager, at, NotificationKind.AllocationNotice, PractitionerRecipient),
                new ReviewScheduled(Manager, at, at.AddDays(42)),
                new TimerSet(Manager, at, TimerKind.ReviewReminder, at.AddDays(39)),
                new TimerSet(Manager, at, TimerKind.ReviewOverdue, at.AddDays(49)));

        Assert.Equal(Stage.Allocated, state.Stage);
        Assert.Null(state.WaitingSince);
        Assert.DoesNotContain(TimerKind.WaitingListCheck, state.Timers.Keys);
    }

    [Fact]
    public void ReallocatingBeforeFirstContactTellsTheNewPractitionerAndLeavesTheClocksAlone()
    {
        var at = AllocatedAt.AddHours(1);
        var before = Given(Histories.AtStage(Stage.Allocated)).State;

        var state = Given(Histories.AtStage(Stage.Allocated))
            .When(new C.Allocate(Manager, at, "p-2", Manual: true))
            .Then(
                new Allocated(Manager, at, "p-2", true, null),
                new NotificationQueued(Manager, at, NotificationKind.AllocationNotice, OtherPractitionerRecipient));

        Assert.Equal(Stage.Allocated, state.Stage);
        Assert.Equal("p-2", state.PractitionerId);
        Assert.Equal(before.Timers, state.Timers);
        Assert.Equal(before.NextReviewDue, state.NextReviewDue);
    }

    [Fact]
    public void ReallocatingAnActiveCaseKeepsItActiveAndKeepsItsReviewScheduleAndRiskAtAllocation()
    {
        var reviewedAt = AllocatedAt.AddDays(40);
        var at = reviewedAt.AddDays(3);
        ReferralEvent[] history =
        [
            .. Histories.AtStage(Stage.Active),
            new ReviewRecorded(Practitioner, reviewedAt, Wheel(5), Lights(), RiskLevel.Medium),
            new ReviewScheduled(Practitioner, reviewedAt, reviewedAt.AddDays(42)),
            new TimerSet(Practitioner, reviewedAt, TimerKind.ReviewReminder, reviewedAt.AddDays(39)),
            new TimerSet(Practitioner, reviewedAt, TimerKind.ReviewOverdue, reviewedAt.AddDays(49)),
        ];

        var state = Given(history)
            .When(new C.Allocate(Manager, at, "p-2", Manual: true))
            .Then(
                new Allocated(Manager, at, "p-2", true, null),
                new NotificationQueued(Manager, at, NotificationKind.AllocationNotice, OtherPractitionerRecipient));

        Assert.Equal(Stage.Active, state.Stage);
        Assert.Equal("p-2", state.PractitionerId);
        Assert.Equal(reviewedAt.AddDays(42), state.NextReviewDue);
        Assert.Equal(reviewedAt.AddDays(39), state.Timers[TimerKind.ReviewReminder]);
        Assert.Equal(reviewedAt.AddDays(49), state.Timers[TimerKind.ReviewOverdue]);
        Assert.Equal(RiskLevel.High, state.RiskAtAllocation);
        Assert.Equal(RiskLevel.Medium, state.CurrentRisk);
    }

    [Theory]
    [InlineData(Stage.Allocated)]
    [InlineData(Stage.Active)]
    public void AllocatingTheSamePractitionerAgainChangesNothing(Stage stage)
    {
        Given(Histories.AtStage(stage))
            .When(new C.Allocate(Actor.System, AllocatedAt.AddMinutes(1), "p-1", Manual: false))
            .ThenNothingHappens();
    }

    [Theory]
    [InlineData(Stage.Allocated)]
    [InlineData(Stage.Active)]
    public void OnlyTheManagerReallocatesNotTheAutomaticAllocation(Stage stage)
    {
        Given(Histories.AtStage(stage))
            .When(new C.Allocate(Actor.System, Later, "p-2", Manual: false))
            .ThenRejected(RejectionKind.NotAllowed);
    }

    [Theory]
    [InlineData(Role.Practitioner)]
    [InlineData(Role.Referrer)]
    [InlineData(Role.Panel)]
    [InlineData(Role.YoungPerson)]
    public void NobodyButTheManagerOrTheSystemAllocatesAHandInHandReferral(Role role)
    {
        Given(Histories.AtStage(Stage.AwaitingAllocation))
            .When(new C.Allocate(Playing(role), AllocatedAt, "p-1", Manual: true))
            .ThenRejected(RejectionKind.NotAllowed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void AnAllocationNamesAPractitioner(string practitionerId)
    {
        Given(Histories.AtStage(Stage.AwaitingAllocation))
            .When(new C.Allocate(Manager, AllocatedAt, practitionerId, Manual: true))
            .ThenRejected(RejectionKind.Invalid, "practitionerId");
    }

    [Fact]
    public void ThePanelAllocatesATrustedRelationshipsReferralToAStrand()
    {
        var state = Given(Histories.TrustedRelationshipsAtStage(Stage.AwaitingAllocation))
            .When(new C.Allocate(Panel, AllocatedAt, "p-1", Manual: true, Strand.SubjectTo))
            .Then(
                new Allocated(Panel, AllocatedAt, "p-1", true, Strand.SubjectTo),
                new NotificationQueued(Panel, AllocatedAt, NotificationKind.AllocationNotice, PractitionerRecipient),
                new ReviewScheduled(Panel, AllocatedAt, AllocatedAt.AddDays(42)),
                new TimerSet(Panel, AllocatedAt, TimerKind.ReviewReminder, AllocatedAt.AddDays(39)),
                new TimerSet(Panel, AllocatedAt, TimerKind.ReviewOverdue, AllocatedAt.AddDays(49)));

        Assert.Equal(Strand.SubjectTo, state.Strand);
        Assert.Equal(RiskLevel.High, state.RiskAtAllocation);
    }

    [Fact]
    public void ATrustedRelationshipsAllocationWithoutAStrandIsRefused()
    {
        Given(Histories.TrustedRelationshipsAtStage(Stage.AwaitingAllocation))
            .When(new C.Allocate(Panel, AllocatedAt, "p-1", Manual: true))
            .ThenRejected(RejectionKind.Invalid, "strand");
    }

    [Fact]
    public void OnTheTrustedRelationshipsPathwayTheManagerDoesNotAllocate()
    {
        Given(Histories.TrustedRelationshipsAtStage(Stage.AwaitingAllocation))
            .When(new C.Allocate(Manager, AllocatedAt, "p-1", Manual: true, Strand.AtRisk))
            .ThenRejected(RejectionKind.NotAllowed);
    }

    [Fact]
    public void OnTheTrustedRelationshipsPathwayTheManagerDoesNotReallocate()
    {
        Given(Histories.TrustedRelationshipsAtStage(Stage.Allocated))
            .When(new C.Allocate(Manager, Later, "p-2", Manual: true, Strand.AtRisk))
            .ThenRejected(RejectionKind.NotAllowed);
    }

    [Fact]
    public void MovingACaseToTheOtherStrandIsAReallocation()
    {
        var state = Given(Histories.TrustedRelationshipsAtStage(Stage.Allocated))
            .When(new C.Allocate(Panel, Later, "p-1", Manual: true, Strand.SubjectTo))
            .Then(
                new Allocated(Panel, Later, "p-1", true, Strand.SubjectTo),
                new NotificationQueued(Panel, Later, NotificationKind.AllocationNotice, PractitionerRecipient));

        Assert.Equal(Strand.SubjectTo, state.Strand);
    }

    [Fact]
    public void AllocatingTheSameStrandAndPractitionerAgainChangesNothing()
    {
        Given(Histories.TrustedRelationshipsAtStage(Stage.Allocated))
            .When(new C.Allocate(Panel, Later, "p-1", Manual: true, Strand.AtRisk))
            .ThenNothingHappens();
    }
}
