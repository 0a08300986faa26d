using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Referrals;
using HandInHand.Domain.Workflow;
using static HandInHand.Domain.Lifecycle.ReferralEvent;
using static HandInHand.Domain.Tests.Lifecycle.Cast;
using static HandInHand.Domain.Tests.Lifecycle.Moments;
using static HandInHand.Domain.Tests.Lifecycle.Spec;
using static HandInHand.Domain.Tests.Lifecycle.TheReferral;
using C = HandInHand.Domain.Lifecycle.ReferralCommand;

namespace HandInHand.Domain.Tests.Lifecycle;

/// <summary>
/// The end of support: the referrer's feedback, the young person's survey (only through a channel
/// marked safe, never after they said no, once, while it is open), and the retention review that
/// ends in erasure unless a legal hold stops it.
/// </summary>
public class SurveysAndRetention
{
    internal static readonly SurveyAnswers AllYes = new(Answer.Yes, Answer.Yes, Answer.Yes, Answer.Yes, null);
    private static readonly DateTimeOffset OpenUntil = ClosedAt.AddDays(28);

    private static ReferralEvent[] ActiveWithoutChannel() => [.. Histories.AtStage(Stage.Allocated), .. Histories.FirstContactWithConsent()];

    private static C.Close CloseAfterSupport() => new(Practitioner, ClosedAt, "goals met", Wheel(7), RiskLevel.Standard);

    private static ReferralEvent[] ClosingWithoutSurvey() =>
    [
        new Closed(Practitioner, ClosedAt, "goals met", Wheel(7), RiskLevel.Standard),
        new TimerCancelled(Practitioner, ClosedAt, TimerKind.ReviewReminder),
        new TimerCancelled(Practitioner, ClosedAt, TimerKind.ReviewOverdue),
        new SurveyOpened(Practitioner, ClosedAt, SurveyAudience.Partner, OpenUntil),
        new NotificationQueued(Practitioner, ClosedAt, NotificationKind.PartnerFeedbackRequest, Recipient.Referrer),
        new TimerSet(Practitioner, ClosedAt, TimerKind.RetentionReview, RetentionDue),
    ];

    [Fact]
    public void WithNoChannelRecordedOnlyTheReferrerIsAsked()
    {
        var state = Given(ActiveWithoutChannel()).When(CloseAfterSupport()).Then(ClosingWithoutSurvey());

        Assert.Null(state.SurveyOpenUntil);
        Assert.Equal(OpenUntil, state.PartnerFeedbackOpenUntil);
    }

    [Fact]
    public void AChannelNotMarkedSafeIsNeverUsedForTheSurvey()
    {
        Given([.. ActiveWithoutChannel(), new ContactChannelRecorded(Practitioner, ContactRecordedAt, ContactChannel.Email, false)])
            .When(CloseAfterSupport())
            .Then(ClosingWithoutSurvey());
    }

    [Fact]
    public void AYoungPersonWhoOptedOutIsNotAsked()
    {
        Given([.. Histories.AtStage(Stage.Active), new SurveyOptedOut(Practitioner, ContactRecordedAt)])
            .When(CloseAfterSupport())
            .Then(ClosingWithoutSurvey());
    }

    [Fact]
    public void ASafeChannelCanBeWithdrawnBeforeClosure()
    {
        var state = Given(Histories.AtStage(Stage.Active))
            .When(new C.RecordContactChannel(Practitioner, ContactRecordedAt.AddDays(2), ContactChannel.Email, MarkedSafe: false))
            .Then(new ContactChannelRecorded(Practitioner, ContactRecordedAt.AddDays(2), ContactChannel.Email, false));

        Assert.False(state.ChannelIsSafe);
    }

    [Fact]
    public void AnotherPractitionerMayNotRecordTheChannel()
    {
        Given(Histories.AtStage(Stage.Active))
            .When(new C.RecordContactChannel(OtherPractitioner, Later, ContactChannel.Email, MarkedSafe: true))
            .ThenRejected(RejectionKind.NotAllowed);
    }

    [Fact]
    public void TheAnswersAreTakenOnceAndStopTheReminder()
    {
        var at = ClosedAt.AddDays(3);
        var answers = AllYes with { Ideas = "  more evening sessions  " };

        var state = Given(Histories.AtStage(Stage.Closed))
            .When(new C.AnswerSurvey(Cast.YoungPerson, at, answers))
            .Then(
                new SurveyAnswered(Cast.YoungPerson, at, answers with { Ideas = "more evening sessions" }),
                new TimerCancelled(Cast.YoungPerson, at, TimerKind.SurveyReminder),
                new TimerCancelled(Cast.YoungPerson, at, TimerKind.SurveyExpiry));

        Assert.Equal(at, state.SurveyAnsweredAt);
        Assert.Equal([TimerKind.RetentionReview], state.Timers.Keys);
    }

    [Fact]
    public void ASecondSetOfAnswersIsRefused()
    {
        var at = ClosedAt.AddDays(3);
        Given([.. Histories.AtStage(Stage.Closed), new SurveyAnswered(Cast.YoungPerson, at, AllYes)])
            .When(new C.AnswerSurvey(Cast.YoungPerson, at.AddMinutes(1), AllYes))
            .ThenRejected(RejectionKind.WrongStep);
    }

    [Fact]
    public void TheSurveyClosesAfterTwentyEightDays()
    {
        Given(Histories.AtStage(Stage.Closed)).When(new C.AnswerSurvey(Cast.YoungPerson, OpenUntil, AllYes)).Then(
            new SurveyAnswered(Cast.YoungPerson, OpenUntil, AllYes),
            new TimerCancelled(Cast.YoungPerson, OpenUntil, TimerKind.SurveyReminder),
            new TimerCancelled(Cast.YoungPerson, OpenUntil, TimerKind.SurveyExpiry));
        Given(Histories.AtStage(Stage.Closed)).When(new C.AnswerSurvey(Cast.YoungPerson, OpenUntil.AddSeconds(1), AllYes)).ThenRejected(RejectionKind.WrongStep);
    }

    [Fact]
    public void ASurveyThatWasNeverOfferedTakesNoAnswers()
    {
        Given([.. ActiveWithoutChannel(), .. ClosingWithoutSurvey()])
            .When(new C.AnswerSurvey(Cast.YoungPerson, ClosedAt.AddDays(1), AllYes))
            .ThenRejected(RejectionKind.WrongStep);
    }

    [Theory]
    [InlineData(Role.Referrer)]
    [InlineData(Role.Practitioner)]
    [InlineData(Role.Manager)]
    public void OnlyTheYoungPersonAnswersTheSurvey(Role role)
    {
        Given(Histories.AtStage(Stage.Closed)).When(new C.AnswerSurvey(Playing(role), ClosedAt.AddDays(1), AllYes)).ThenRejected(RejectionKind.NotAllowed);
    }

    [Fact]
    public void OverlongIdeasAreRefusedFieldByField()
    {
        Given(Histories.AtStage(Stage.Closed))
            .When(new C.AnswerSurvey(Cast.YoungPerson, ClosedAt.AddDays(1), AllYes with { Ideas = new string('x', SurveyAnswers.IdeasMaxLength + 1) }))
            .ThenRejected(RejectionKind.Invalid, "ideas");
    }

    [Fact]
    public void TheReferrerGivesFeedbackOnce()
    {
        var at = ClosedAt.AddDays(2);
        var feedback = new PartnerFeedback(Answer.Yes, Answer.NotSure, Answer.Yes, null);
        var state = Given(Histories.AtStage(Stage.Closed))
            .When(new C.GivePartnerFeedback(TheReferrer, at, feedback))
            .Then(new PartnerFeedbackGiven(TheReferrer, at, feedback));

        Assert.Equal(at, state.PartnerFeedbackAt);
        Given([.. Histories.AtStage(Stage.Closed), new PartnerFeedbackGiven(TheReferrer, at, feedback)])
            .When(new C.GivePartnerFeedback(TheReferrer, at.AddHours(1), feedback))
            .ThenRejected(RejectionKind.WrongStep);
        Given(Histories.AtStage(Stage.Closed)).When(new C.GivePartnerFeedback(Cast.YoungPerson, at, feedback)).ThenRejected(RejectionKind.NotAllowed);
    }

    [Fact]
    public void OptingOutAfterClosureStopsTheReminder()
    {
        var at = ClosedAt.AddDays(1);
        var state = Given(Histories.AtStage(Stage.Closed))
            .When(new C.OptOutOfSurvey(Practitioner, at))
            .Then(new SurveyOptedOut(Practitioner, at), new TimerCancelled(Practitioner, at, TimerKind.SurveyReminder));

        Assert.True(state.SurveyOptedOut);
        Given([.. Histories.AtStage(Stage.Closed), new SurveyOptedOut(Practitioner, at)]).When(new C.OptOutOfSurvey(Manager, at)).ThenNothingHappens();
    }

    [Fact]
    public void ReopeningClosesTheSurveys()
    {
        var state = Given(Histories.AtStage(Stage.Closed)).When(new C.Reopen(Manager, ClosedAt.AddDays(1), "new concerns")).State;
        var reopened = state.Evolve(new ReferralDecider(new LifecycleSettings()).Decide(new C.Reopen(Manager, ClosedAt.AddDays(1), "new concerns"), state));

        Assert.Null(reopened.SurveyOpenUntil);
        Assert.Null(reopened.PartnerFeedbackOpenUntil);
    }

    private static ReferralEvent[] ReviewDue() =>
    [
        .. Histories.AtStage(Stage.Closed),
        new TimerFired(Actor.System, ClosedAt.AddDays(7), TimerKind.SurveyReminder, ClosedAt.AddDays(7)),
        new NotificationQueued(Actor.System, ClosedAt.AddDays(7), NotificationKind.SurveyReminder, Recipient.YoungPerson),
        new TimerFired(Actor.System, OpenUntil, TimerKind.SurveyExpiry, OpenUntil),
        new TimerFired(Actor.System, RetentionDue, TimerKind.RetentionReview, RetentionDue),
        new NotificationQueued(Actor.System, RetentionDue, NotificationKind.RetentionReviewDue, Recipient.Manager),
    ];

    [Fact]
    public void TheRetentionTimerPutsTheRecordInTheManagersReview()
    {
        var before = Given(Histories.AtStage(Stage.Closed)).State;
        var at = RetentionDue.AddMinutes(1);
        var events = new ReferralDecider(new LifecycleSettings()).Decide(new C.FireTimer(Actor.System, at, TimerKind.RetentionReview, RetentionDue), before);

        Assert.True(before.Evolve(events).RetentionReviewDue);
        Assert.Contains(new Effect.AwaitRetentionReview(RetentionDue), Reactor.React(before, events));
    }

    [Fact]
    public void ConfirmedErasureKeepsOnlyTheAnonymousFigures()
    {
        var at = RetentionDue.AddDays(2);
        var history = ReviewDue();
        var state = Given(history).When(new C.ConfirmErasure(Manager, at)).Then(new Erased(Manager, at));

        Assert.NotNull(state.ErasedAt);
        Assert.Equal(default, state.DateOfBirth);
        Assert.Null(state.ClosureReason);
        Assert.Null(state.Channel);
        Assert.False(state.RetentionReviewDue);
        Assert.Equal(RiskLevel.High, state.RiskAtAllocation);
        Assert.Equal(RiskLevel.Standard, state.RiskAtClosure);
        Assert.Equal(Stage.Closed, state.Stage);
        var effects = Reactor.React(Given(history).State, [new Erased(Manager, at)]);
        Assert.Equal([new Effect.ErasePersonalData(), new Effect.EndRetentionReview()], effects);
        Given([.. history, new Erased(Manager, at)]).When(new C.ConfirmErasure(Manager, at.AddDays(1))).ThenNothingHappens();
    }

    [Fact]
    public void ALegalHoldStopsErasureUntilReleased()
    {
        var at = RetentionDue.AddDays(2);
        var held = Given(ReviewDue()).When(new C.PlaceLegalHold(Manager, at, " court order ")).Then(new LegalHoldPlaced(Manager, at, "court order"));
        Assert.True(held.LegalHold);

        var history = ReviewDue().Append(new LegalHoldPlaced(Manager, at, "court order")).ToArray();
        Given(history).When(new C.ConfirmErasure(Manager, at.AddDays(1))).ThenRejected(RejectionKind.WrongStep);
        Given(history).When(new C.ReleaseLegalHold(Manager, at.AddDays(1))).Then(new LegalHoldReleased(Manager, at.AddDays(1)));
        Given([.. history, new LegalHoldReleased(Manager, at.AddDays(1))]).When(new C.ConfirmErasure(Manager, at.AddDays(2))).Then(new Erased(Manager, at.AddDays(2)));
    }

    [Fact]
    public void NothingIsErasedBeforeTheRetentionReview()
    {
        Given(Histories.AtStage(Stage.Closed)).When(new C.ConfirmErasure(Manager, Later)).ThenRejected(RejectionKind.WrongStep);
        Given(Histories.AtStage(Stage.Active)).When(new C.ConfirmErasure(Manager, Later)).ThenRejected(RejectionKind.WrongStep);
    }

    [Theory]
    [InlineData(Role.Practitioner)]
    [InlineData(Role.Analyst)]
    [InlineData(Role.Admin)]
    public void OnlyTheManagerErasesOrHolds(Role role)
    {
        Given(ReviewDue()).When(new C.ConfirmErasure(Playing(role), Later)).ThenRejected(RejectionKind.NotAllowed);
        Given(ReviewDue()).When(new C.PlaceLegalHold(Playing(role), Later, "court order")).ThenRejected(RejectionKind.NotAllowed);
    }

    [Fact]
    public void ReopeningAfterTheReviewTakesTheRecordOutOfTheReview()
    {
        var before = Given(ReviewDue()).State;
        var events = new ReferralDecider(new LifecycleSettings()).Decide(new C.Reopen(Manager, Later, "new concerns"), before);

        Assert.False(before.Evolve(events).RetentionReviewDue);
        Assert.Contains(new Effect.EndRetentionReview(), Reactor.React(before, events));
    }

    [Fact]
    public void AnErasedRecordTakesNoNewPersonalData()
    {
        var at = RetentionDue.AddDays(2);
        ReferralEvent[] erased = [.. ReviewDue(), new Erased(Manager, at)];
        Given(erased).When(new C.RecordContactChannel(Manager, at, ContactChannel.Email, true)).ThenRejected(RejectionKind.WrongStep);
        Given(erased).When(new C.PlaceLegalHold(Manager, at, "court order")).ThenRejected(RejectionKind.WrongStep);
    }
}
