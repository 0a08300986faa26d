using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Referrals;
using static HandInHand.Domain.Lifecycle.ReferralEvent;
using static HandInHand.Domain.Tests.Lifecycle.Cast;
using static HandInHand.Domain.Tests.Lifecycle.Moments;
using static HandInHand.Domain.Tests.Lifecycle.Spec;
using static HandInHand.Domain.Tests.Lifecycle.TheReferral;
using C = HandInHand.Domain.Lifecycle.ReferralCommand;

namespace HandInHand.Domain.Tests.Lifecycle;

public class FiringTimers
{
    private static readonly Actor Sys = Actor.System;

    [Fact]
    public void TheFirstContactReminderGoesToTheManagerWhileNobodyHoldsTheCase()
    {
        var due = T0.AddHours(20);

        var state = Given(Histories.AtStage(Stage.AwaitingAllocation))
            .When(new C.FireTimer(Sys, due, TimerKind.FirstContactReminder, due))
            .Then(
                new TimerFired(Sys, due, TimerKind.FirstContactReminder, due),
                new NotificationQueued(Sys, due, NotificationKind.FirstContactReminder, Recipient.Manager));

        Assert.DoesNotContain(TimerKind.FirstContactReminder, state.Timers.Keys);
    }

    [Fact]
    public void TheFirstContactReminderGoesToThePractitionerOnceTheCaseIsAllocated()
    {
        var due = T0.AddHours(20);

        Given(Histories.AtStage(Stage.Allocated))
            .When(new C.FireTimer(Sys, due, TimerKind.FirstContactReminder, due))
            .Then(
                new TimerFired(Sys, due, TimerKind.FirstContactReminder, due),
                new NotificationQueued(Sys, due, NotificationKind.FirstContactReminder, PractitionerRecipient));
    }

    [Theory]
    [InlineData(Stage.AwaitingTriage)]
    [InlineData(Stage.Allocated)]
    public void AMissedFirstContactDeadlineEscalatesToTheManager(Stage stage)
    {
        var due = T0.AddHours(24);

        Given(Histories.AtStage(stage))
            .When(new C.FireTimer(Sys, due, TimerKind.FirstContactDeadline, due))
            .Then(
                new TimerFired(Sys, due, TimerKind.FirstContactDeadline, due),
                new NotificationQueued(Sys, due, NotificationKind.FirstContactEscalation, Recipient.Manager));
    }

    [Fact]
    public void AnUntriagedReferralRemindsTheManagerAfterFourHours()
    {
        var due = T0.AddHours(4);

        Given(Histories.Receipt())
            .When(new C.FireTimer(Sys, due, TimerKind.TriageReminder, due))
            .Then(
                new TimerFired(Sys, due, TimerKind.TriageReminder, due),
                new NotificationQueued(Sys, due, NotificationKind.TriageReminder, Recipient.Manager));
    }

    [Fact]
    public void AReferralUntriagedAfterAWorkingDayEscalates()
    {
        var due = T0.AddDays(1);

        Given(Histories.Receipt())
            .When(new C.FireTimer(Sys, due, TimerKind.TriageDeadline, due))
            .Then(
                new TimerFired(Sys, due, TimerKind.TriageDeadline, due),
                new NotificationQueued(Sys, due, NotificationKind.TriageEscalation, Recipient.Manager));
    }

    [Fact]
    public void TheReferrerIsRemindedThreeDaysAfterInformationWasRequested()
    {
        var due = TriagedAt.AddDays(3);

        var state = Given(Histories.AtStage(Stage.AwaitingInformation))
            .When(new C.FireTimer(Sys, due, TimerKind.InformationReminder, due))
            .Then(
                new TimerFired(Sys, due, TimerKind.InformationReminder, due),
                new NotificationQueued(Sys, due, NotificationKind.InformationReminder, Recipient.Referrer));

        Assert.Equal(Stage.AwaitingInformation, state.Stage);
    }

    [Fact]
    public void NoAnswerTenDaysAfterTheRequestClosesTheReferralAsNoResponse()
    {
        var reminder = TriagedAt.AddDays(3);
        var due = TriagedAt.AddDays(10);

        var state = Given(
            [
                .. Histories.AtStage(Stage.AwaitingInformation),
                new TimerFired(Sys, reminder, TimerKind.InformationReminder, reminder),
                new NotificationQueued(Sys, reminder, NotificationKind.InformationReminder, Recipient.Referrer),
            ])
            .When(new C.FireTimer(Sys, due, TimerKind.InformationDeadline, due))
            .Then(
                new TimerFired(Sys, due, TimerKind.InformationDeadline, due),
                new Closed(Sys, due, ClosureReasons.NoResponse, null, null),
                new TimerCancelled(Sys, due, TimerKind.FirstContactReminder),
                new TimerCancelled(Sys, due, TimerKind.FirstContactDeadline),
                new NotificationQueued(Sys, due, NotificationKind.ClosedNoResponse, Recipient.Referrer),
                new TimerSet(Sys, due, TimerKind.RetentionReview, RetentionDue));

        Assert.Equal(Stage.Closed, state.Stage);
        Assert.Equal(ClosureReasons.NoResponse, state.ClosureReason);
        Assert.Equal(Stage.AwaitingInformation, state.StageBeforeClosure);
        Assert.Equal([TimerKind.RetentionReview], state.Timers.Keys);
    }

    [Fact]
    public void TheWaitingListCheckAsksTheReferrerAndRepeatsAFortnightFromItsDueTimeNotFromWhenItFired()
    {
        var due = WaitingAt.AddDays(14);
        var firedLate = due.AddHours(3);

        var state = Given(Histories.AtStage(Stage.WaitingList))
            .When(new C.FireTimer(Sys, firedLate, TimerKind.WaitingListCheck, due))
            .Then(
                new TimerFired(Sys, firedLate, TimerKind.WaitingListCheck, due),
                new NotificationQueued(Sys, firedLate, NotificationKind.WaitingListCheck, Recipient.Referrer),
                new TimerSet(Sys, firedLate, TimerKind.WaitingListCheck, due.AddDays(14)));

        Assert.Equal(due.AddDays(14), state.Timers[TimerKind.WaitingListCheck]);
    }

    [Fact]
    public void TheReviewReminderGoesToThePractitionerThreeDaysBeforeTheReview()
    {
        var due = AllocatedAt.AddDays(39);

        Given(Histories.AtStage(Stage.Active))
            .When(new C.FireTimer(Sys, due, TimerKind.ReviewReminder, due))
            .Then(
                new TimerFired(Sys, due, TimerKind.ReviewReminder, due),
                new NotificationQueued(Sys, due, NotificationKind.ReviewReminder, PractitionerRecipient));
    }

    [Fact]
    public void AReviewOverdueBySevenDaysEscalatesToTheManager()
    {
        var due = AllocatedAt.AddDays(49);

        Given(Histories.AtStage(Stage.Active))
            .When(new C.FireTimer(Sys, due, TimerKind.ReviewOverdue, due))
            .Then(
                new TimerFired(Sys, due, TimerKind.ReviewOverdue, due),
                new NotificationQueued(Sys, due, NotificationKind.ReviewOverdueEscalation, Recipient.Manager));
    }

    [Fact]
    public void TheYoungPersonIsRemindedOfTheSurveyAWeekAfterClosure()
    {
        var due = ClosedAt.AddDays(7);

        Given(Histories.AtStage(Stage.Closed))
            .When(new C.FireTimer(Sys, due, TimerKind.SurveyReminder, due))
            .Then(
                new TimerFired(Sys, due, TimerKind.SurveyReminder, due),
                new NotificationQueued(Sys, due, NotificationKind.SurveyReminder, Recipient.YoungPerson));
    }

    [Fact]
    public void TheSurveyLinkExpiresFourWeeksAfterClosureWithoutAMessage()
    {
        var due = ClosedAt.AddDays(28);

        var state = Given(Histories.AtStage(Stage.Closed))
            .When(new C.FireTimer(Sys, due, TimerKind.SurveyExpiry, due))
            .Then(new TimerFired(Sys, due, TimerKind.SurveyExpiry, due));

        Assert.DoesNotContain(TimerKind.SurveyExpiry, state.Timers.Keys);
    }

    [Fact]
    public void WhenRetentionRunsOutTheRecordGoesToTheManagerForReview()
    {
        Given(Histories.AtStage(Stage.Closed))
            .When(new C.FireTimer(Sys, RetentionDue, TimerKind.RetentionReview, RetentionDue))
            .Then(
                new TimerFired(Sys, RetentionDue, TimerKind.RetentionReview, RetentionDue),
                new NotificationQueued(Sys, RetentionDue, NotificationKind.RetentionReviewDue, Recipient.Manager));
    }

    [Fact]
    public void ATimerFiresOnceHoweverOftenItIsDelivered()
    {
        var due = T0.AddHours(4);

        Given(
            [
                .. Histories.Receipt(),
                new TimerFired(Sys, due, TimerKind.TriageReminder, due),
                new NotificationQueued(Sys, due, NotificationKind.TriageReminder, Recipient.Manager),
            ])
            .When(new C.FireTimer(Sys, due.AddSeconds(30), TimerKind.TriageReminder, due))
            .ThenNothingHappens();
    }

    [Fact]
    public void AClockStoppedByTheEventThatSatisfiedItDoesNothingWhenItFires()
    {
        var due = T0.AddHours(24);

        Given(Histories.AtStage(Stage.Active))
            .When(new C.FireTimer(Sys, due, TimerKind.FirstContactDeadline, due))
            .ThenNothingHappens();
    }

    [Fact]
    public void ATimerOfAKindThatWasNeverSetDoesNothing()
    {
        Given(Histories.Receipt())
            .When(new C.FireTimer(Sys, Later, TimerKind.SurveyExpiry, T0))
            .ThenNothingHappens();
    }

    [Fact]
    public void ATimerWithAnOldDueTimeDoesNothingAfterItWasMoved()
    {
        var reviewedAt = AllocatedAt.AddDays(20);
        var oldDue = AllocatedAt.AddDays(39);

        Given(
            [
                .. Histories.AtStage(Stage.Active),
                new ReviewRecorded(Practitioner, reviewedAt, Wheel(5), Lights(), RiskLevel.Medium),
                new ReviewScheduled(Practitioner, reviewedAt, reviewedAt.AddDays(42)),
                new TimerSet(Practitioner, reviewedAt, TimerKind.ReviewReminder, reviewedAt.AddDays(39)),
                new TimerSet(Practitioner, reviewedAt, TimerKind.ReviewOverdue, reviewedAt.AddDays(49)),
            ])
            .When(new C.FireTimer(Sys, oldDue, TimerKind.ReviewReminder, oldDue))
            .ThenNothingHappens();
    }

    [Fact]
    public void ATimerDeliveredBeforeItIsDueIsRefused()
    {
        var due = T0.AddHours(4);

        Given(Histories.Receipt())
            .When(new C.FireTimer(Sys, due.AddTicks(-1), TimerKind.TriageReminder, due))
            .ThenRejected(RejectionKind.Invalid, "dueAt");
    }

    [Theory]
    [InlineData(Role.Manager)]
    [InlineData(Role.Practitioner)]
    [InlineData(Role.Referrer)]
    [InlineData(Role.Admin)]
    public void OnlyTheSystemFiresATimer(Role role)
    {
        var due = T0.AddHours(4);

        Given(Histories.Receipt())
            .When(new C.FireTimer(Playing(role), due, TimerKind.TriageReminder, due))
            .ThenRejected(RejectionKind.NotAllowed);
    }

    [Fact]
    public void OnlyTheSystemFiresATimerEvenAStaleOne()
    {
        Given(Histories.Receipt())
            .When(new C.FireTimer(Manager, Later, TimerKind.SurveyExpiry, T0))
            .ThenRejected(RejectionKind.NotAllowed);
    }
}
