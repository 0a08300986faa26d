using HandInHand.Domain.Lifecycle;
using static HandInHand.Domain.Lifecycle.ReferralEvent;
using static HandInHand.Domain.Tests.Lifecycle.Cast;
using static HandInHand.Domain.Tests.Lifecycle.Moments;
using static HandInHand.Domain.Tests.Lifecycle.Spec;
using static HandInHand.Domain.Tests.Lifecycle.TheReferral;
using C = HandInHand.Domain.Lifecycle.ReferralCommand;

namespace HandInHand.Domain.Tests.Lifecycle;

public class WithdrawingAReferral
{
    public static TheoryData<Stage, TimerKind[]> OpenStagesAndTheirClocks() => new()
    {
        { Stage.AwaitingTriage, [TimerKind.FirstContactReminder, TimerKind.FirstContactDeadline, TimerKind.TriageReminder, TimerKind.TriageDeadline] },
        { Stage.AwaitingInformation, [TimerKind.FirstContactReminder, TimerKind.FirstContactDeadline, TimerKind.InformationReminder, TimerKind.InformationDeadline] },
        { Stage.AwaitingAllocation, [TimerKind.FirstContactReminder, TimerKind.FirstContactDeadline] },
        { Stage.WaitingList, [TimerKind.FirstContactReminder, TimerKind.FirstContactDeadline, TimerKind.WaitingListCheck] },
        { Stage.Allocated, [TimerKind.FirstContactReminder, TimerKind.FirstContactDeadline, TimerKind.ReviewReminder, TimerKind.ReviewOverdue] },
        { Stage.Active, [TimerKind.ReviewReminder, TimerKind.ReviewOverdue] },
    };

    [Theory]
    [MemberData(nameof(OpenStagesAndTheirClocks))]
    public void AReferralWithdrawnAtAnyOpenStageStopsEveryClockAndStartsRetention(Stage stage, TimerKind[] running)
    {
        var state = Given(Histories.AtStage(stage))
            .When(new C.Withdraw(TheReferrer, Later, "  support found elsewhere ", NotTakenReason.NoLongerNeeded))
            .Then(
            [
                new Withdrawn(TheReferrer, Later, "support found elsewhere", NotTakenReason.NoLongerNeeded),
                .. running.Select(kind => new TimerCancelled(TheReferrer, Later, kind)),
                new TimerSet(TheReferrer, Later, TimerKind.RetentionReview, RetentionDue),
            ]);

        Assert.Equal(Stage.Withdrawn, state.Stage);
        Assert.False(state.IsOpen);
        Assert.Equal(stage, state.StageBeforeClosure);
        Assert.Equal("support found elsewhere", state.ClosureReason);
        Assert.Equal(Later, state.ClosedAt);
        Assert.Null(state.NextReviewDue);
        Assert.Equal([TimerKind.RetentionReview], state.Timers.Keys);
    }

    [Theory]
    [InlineData(Role.Manager)]
    [InlineData(Role.Referrer)]
    public void TheReferrerOrTheManagerWithdrawsAReferral(Role role)
    {
        var by = Playing(role);

        Given(Histories.AtStage(Stage.AwaitingAllocation))
            .When(new C.Withdraw(by, Later, "young person moved away", NotTakenReason.NoLongerNeeded))
            .Then(
                new Withdrawn(by, Later, "young person moved away", NotTakenReason.NoLongerNeeded),
                new TimerCancelled(by, Later, TimerKind.FirstContactReminder),
                new TimerCancelled(by, Later, TimerKind.FirstContactDeadline),
                new TimerSet(by, Later, TimerKind.RetentionReview, RetentionDue));
    }

    [Theory]
    [InlineData(Role.Practitioner)]
    [InlineData(Role.YoungPerson)]
    [InlineData(Role.System)]
    [InlineData(Role.Analyst)]
    public void APractitionerTheYoungPersonOrTheSystemDoesNotWithdrawAReferral(Role role)
    {
        Given(Histories.AtStage(Stage.Active))
            .When(new C.Withdraw(Playing(role), Later, "no longer needed", NotTakenReason.NoLongerNeeded))
            .ThenRejected(RejectionKind.NotAllowed);
    }

    [Fact]
    public void WithdrawingTwiceChangesNothingTheSecondTime()
    {
        Given(Histories.AtStage(Stage.Withdrawn))
            .When(new C.Withdraw(TheReferrer, TriagedAt.AddMinutes(1), "support found elsewhere", NotTakenReason.NoLongerNeeded))
            .ThenNothingHappens();
    }

    [Theory]
    [InlineData("")]
    [InlineData("    ")]
    public void AWithdrawalNeedsAReason(string reason)
    {
        Given(Histories.AtStage(Stage.AwaitingTriage))
            .When(new C.Withdraw(TheReferrer, TriagedAt, reason, NotTakenReason.NoLongerNeeded))
            .ThenRejected(RejectionKind.Invalid, "reason");
    }
}
