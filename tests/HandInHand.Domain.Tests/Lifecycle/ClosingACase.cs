using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Referrals;
using static HandInHand.Domain.Lifecycle.ReferralEvent;
using static HandInHand.Domain.Tests.Lifecycle.Cast;
using static HandInHand.Domain.Tests.Lifecycle.Moments;
using static HandInHand.Domain.Tests.Lifecycle.Spec;
using static HandInHand.Domain.Tests.Lifecycle.TheReferral;
using C = HandInHand.Domain.Lifecycle.ReferralCommand;

namespace HandInHand.Domain.Tests.Lifecycle;

public class ClosingACase
{
    [Fact]
    public void ClosingAfterSupportStopsEveryClockInvitesTheYoungPersonToTheSurveyAndStartsRetention()
    {
        var state = Given(Histories.AtStage(Stage.Active))
            .When(new C.Close(Practitioner, ClosedAt, " goals met ", Wheel(7), RiskLevel.Standard))
            .Then(
                new Closed(Practitioner, ClosedAt, "goals met", Wheel(7), RiskLevel.Standard),
                new TimerCancelled(Practitioner, ClosedAt, TimerKind.ReviewReminder),
                new TimerCancelled(Practitioner, ClosedAt, TimerKind.ReviewOverdue),
                new SurveyOpened(Practitioner, ClosedAt, SurveyAudience.Partner, ClosedAt.AddDays(28)),
                new NotificationQueued(Practitioner, ClosedAt, NotificationKind.PartnerFeedbackRequest, Recipient.Referrer),
                new SurveyOpened(Practitioner, ClosedAt, SurveyAudience.YoungPerson, ClosedAt.AddDays(28)),
                new NotificationQueued(Practitioner, ClosedAt, NotificationKind.SurveyInvitation, Recipient.YoungPerson),
                new TimerSet(Practitioner, ClosedAt, TimerKind.SurveyReminder, ClosedAt.AddDays(7)),
                new TimerSet(Practitioner, ClosedAt, TimerKind.SurveyExpiry, ClosedAt.AddDays(28)),
                new TimerSet(Practitioner, ClosedAt, TimerKind.RetentionReview, RetentionDue));

        Assert.Equal(Stage.Closed, state.Stage);
        Assert.False(state.IsOpen);
        Assert.Equal("goals met", state.ClosureReason);
        Assert.Equal(ClosedAt, state.ClosedAt);
        Assert.Equal(RiskLevel.High, state.RiskAtAllocation);
        Assert.Equal(RiskLevel.Standard, state.RiskAtClosure);
        Assert.Null(state.NextReviewDue);
        Assert.Equal(Stage.Active, state.StageBeforeClosure);
        Assert.Equal([TimerKind.SurveyReminder, TimerKind.SurveyExpiry, TimerKind.RetentionReview], state.Timers.Keys);
    }

    [Fact]
    public void ClosingACaseThatNeverStartedStopsEveryClockAndSendsNoSurvey()
    {
        var at = AllocatedAt.AddHours(2);

        var state = Given(Histories.AtStage(Stage.Allocated))
            .When(new C.Close(Practitioner, at, "moved out of the area", NoWheel, RiskLevel.High))
            .Then(
                new Closed(Practitioner, at, "moved out of the area", null, RiskLevel.High),
                new TimerCancelled(Practitioner, at, TimerKind.FirstContactReminder),
                new TimerCancelled(Practitioner, at, TimerKind.FirstContactDeadline),
                new TimerCancelled(Practitioner, at, TimerKind.ReviewReminder),
                new TimerCancelled(Practitioner, at, TimerKind.ReviewOverdue),
                new TimerSet(Practitioner, at, TimerKind.RetentionReview, RetentionDue));

        Assert.Equal([TimerKind.RetentionReview], state.Timers.Keys);
        Assert.Equal(Stage.Allocated, state.StageBeforeClosure);
    }

    [Fact]
    public void ACaseThatNeverStartedMayStillBeClosedWithAFinalWheel()
    {
        var at = AllocatedAt.AddHours(2);

        Given(Histories.AtStage(Stage.Allocated))
            .When(new C.Close(Practitioner, at, "moved out of the area", Wheel(4), RiskLevel.High))
            .Then(
                new Closed(Practitioner, at, "moved out of the area", Wheel(4), RiskLevel.High),
                new TimerCancelled(Practitioner, at, TimerKind.FirstContactReminder),
                new TimerCancelled(Practitioner, at, TimerKind.FirstContactDeadline),
                new TimerCancelled(Practitioner, at, TimerKind.ReviewReminder),
                new TimerCancelled(Practitioner, at, TimerKind.ReviewOverdue),
                new TimerSet(Practitioner, at, TimerKind.RetentionReview, RetentionDue));
    }

    [Fact]
    public void AFinalWheelGivenForACaseThatNeverStartedMustStillBeComplete()
    {
        Given(Histories.AtStage(Stage.Allocated))
            .When(new C.Close(Practitioner, Later, "moved out of the area", WheelWith("safety", null), RiskLevel.High))
            .ThenRejected(RejectionKind.Invalid, "finalMyWheel");
    }

    [Theory]
    [InlineData("safety", null)]
    [InlineData("happiness", 5)]
    [InlineData("safety", 0)]
    [InlineData("safety", 11)]
    public void ClosingAfterSupportNeedsACompleteFinalWheel(string domain, int? score)
    {
        Given(Histories.AtStage(Stage.Active))
            .When(new C.Close(Practitioner, ClosedAt, "goals met", WheelWith(domain, score), RiskLevel.Standard))
            .ThenRejected(RejectionKind.Invalid, "finalMyWheel");
    }

    [Fact]
    public void ClosingAfterSupportWithoutAFinalWheelIsRefused()
    {
        Given(Histories.AtStage(Stage.Active))
            .When(new C.Close(Practitioner, ClosedAt, "goals met", NoWheel, RiskLevel.Standard))
            .ThenRejected(RejectionKind.Invalid, "finalMyWheel");
    }

    [Theory]
    [InlineData("")]
    [InlineData(" \t ")]
    public void AClosureNeedsAReason(string reason)
    {
        Given(Histories.AtStage(Stage.Active))
            .When(new C.Close(Practitioner, ClosedAt, reason, Wheel(7), RiskLevel.Standard))
            .ThenRejected(RejectionKind.Invalid, "reason");
    }

    [Fact]
    public void ClosingTwiceChangesNothingTheSecondTime()
    {
        Given(Histories.AtStage(Stage.Closed))
            .When(new C.Close(Practitioner, ClosedAt.AddMinutes(1), "goals met", Wheel(7), RiskLevel.Standard))
            .ThenNothingHappens();
    }

    [Fact]
    public void APractitionerWhoDoesNotHoldTheCaseCannotCloseIt()
    {
        Given(Histories.AtStage(Stage.Active))
            .When(new C.Close(OtherPractitioner, ClosedAt, "goals met", Wheel(7), RiskLevel.Standard))
            .ThenRejected(RejectionKind.NotAllowed);
    }

    [Theory]
    [InlineData(Role.Referrer)]
    [InlineData(Role.YoungPerson)]
    [InlineData(Role.System)]
    public void OnlyTheCaseHolderOrTheManagerClosesACase(Role role)
    {
        Given(Histories.AtStage(Stage.Active))
            .When(new C.Close(Playing(role), ClosedAt, "goals met", Wheel(7), RiskLevel.Standard))
            .ThenRejected(RejectionKind.NotAllowed);
    }

    [Fact]
    public void TheManagerMayCloseACase()
    {
        Given(Histories.AtStage(Stage.Active))
            .When(new C.Close(Manager, ClosedAt, "goals met", Wheel(7), RiskLevel.Standard))
            .Then(
                new Closed(Manager, ClosedAt, "goals met", Wheel(7), RiskLevel.Standard),
                new TimerCancelled(Manager, ClosedAt, TimerKind.ReviewReminder),
                new TimerCancelled(Manager, ClosedAt, TimerKind.ReviewOverdue),
                new SurveyOpened(Manager, ClosedAt, SurveyAudience.Partner, ClosedAt.AddDays(28)),
                new NotificationQueued(Manager, ClosedAt, NotificationKind.PartnerFeedbackRequest, Recipient.Referrer),
                new SurveyOpened(Manager, ClosedAt, SurveyAudience.YoungPerson, ClosedAt.AddDays(28)),
                new NotificationQueued(Manager, ClosedAt, NotificationKind.SurveyInvitation, Recipient.YoungPerson),
                new TimerSet(Manager, ClosedAt, TimerKind.SurveyReminder, ClosedAt.AddDays(7)),
                new TimerSet(Manager, ClosedAt, TimerKind.SurveyExpiry, ClosedAt.AddDays(28)),
                new TimerSet(Manager, ClosedAt, TimerKind.RetentionReview, RetentionDue));
    }

    /// <summary>Closed on 23 December 2026: six years on is 23 December 2032 at 10:00.</summary>
    [Theory]
    [InlineData("2011-05-14", "2036-05-14T00:00:00+00:00")]
    [InlineData("2005-06-01", "2032-12-23T10:00:00+00:00")]
    [InlineData("2007-12-23", "2032-12-23T10:00:00+00:00")]
    [InlineData("2007-12-24", "2032-12-24T00:00:00+00:00")]
    [InlineData("2008-02-29", "2033-02-28T00:00:00+00:00")]
    public void TheRecordIsReviewedSixYearsAfterClosureOrAtTheTwentyFifthBirthdayWhicheverIsLater(string dateOfBirth, string reviewDue)
    {
        var due = DateTimeOffset.Parse(reviewDue, System.Globalization.CultureInfo.InvariantCulture);

        var state = Given(Histories.AtStage(Stage.Active, DateOnly.Parse(dateOfBirth, System.Globalization.CultureInfo.InvariantCulture)))
            .When(Commands.CloseAfterSupport())
            .Then(
                new Closed(Practitioner, ClosedAt, "goals met", Wheel(7), RiskLevel.Standard),
                new TimerCancelled(Practitioner, ClosedAt, TimerKind.ReviewReminder),
                new TimerCancelled(Practitioner, ClosedAt, TimerKind.ReviewOverdue),
                new SurveyOpened(Practitioner, ClosedAt, SurveyAudience.Partner, ClosedAt.AddDays(28)),
                new NotificationQueued(Practitioner, ClosedAt, NotificationKind.PartnerFeedbackRequest, Recipient.Referrer),
                new SurveyOpened(Practitioner, ClosedAt, SurveyAudience.YoungPerson, ClosedAt.AddDays(28)),
                new NotificationQueued(Practitioner, ClosedAt, NotificationKind.SurveyInvitation, Recipient.YoungPerson),
                new TimerSet(Practitioner, ClosedAt, TimerKind.SurveyReminder, ClosedAt.AddDays(7)),
                new TimerSet(Practitioner, ClosedAt, TimerKind.SurveyExpiry, ClosedAt.AddDays(28)),
                new TimerSet(Practitioner, ClosedAt, TimerKind.RetentionReview, due));

        Assert.Equal(due, state.Timers[TimerKind.RetentionReview]);
    }
}
