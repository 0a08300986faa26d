using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Referrals;
using static HandInHand.Domain.Lifecycle.ReferralEvent;
using static HandInHand.Domain.Tests.Lifecycle.Cast;
using static HandInHand.Domain.Tests.Lifecycle.Moments;
using static HandInHand.Domain.Tests.Lifecycle.Spec;
using static HandInHand.Domain.Tests.Lifecycle.TheReferral;
using C = HandInHand.Domain.Lifecycle.ReferralCommand;

namespace HandInHand.Domain.Tests.Lifecycle;

public class RecordingFirstContact
{
    [Fact]
    public void FirstContactWithConsentStopsTheFirstContactClockAndStartsSupport()
    {
        var state = Given(Histories.AtStage(Stage.Allocated))
            .When(new C.RecordFirstContact(Practitioner, ContactRecordedAt, ContactedAt, Consent: true))
            .Then(
                new FirstContactRecorded(Practitioner, ContactRecordedAt, ContactedAt, true),
                new TimerCancelled(Practitioner, ContactRecordedAt, TimerKind.FirstContactReminder),
                new TimerCancelled(Practitioner, ContactRecordedAt, TimerKind.FirstContactDeadline));

        Assert.Equal(Stage.Active, state.Stage);
        Assert.Equal(ContactedAt, state.FirstContactAt);
        Assert.True(state.Consent);
        Assert.Equal([TimerKind.ReviewReminder, TimerKind.ReviewOverdue], state.Timers.Keys);
    }

    [Fact]
    public void AFirstContactAfterTheDeadlineEscalatedHasNoFirstContactTimerLeftToCancel()
    {
        var reminder = T0.AddHours(20);
        var deadline = T0.AddHours(24);
        var contacted = T0.AddHours(30);
        var recorded = T0.AddHours(31);

        Given(
            [
                .. Histories.AtStage(Stage.Allocated),
                new TimerFired(Actor.System, reminder, TimerKind.FirstContactReminder, reminder),
                new NotificationQueued(Actor.System, reminder, NotificationKind.FirstContactReminder, PractitionerRecipient),
                new TimerFired(Actor.System, deadline, TimerKind.FirstContactDeadline, deadline),
                new NotificationQueued(Actor.System, deadline, NotificationKind.FirstContactEscalation, Recipient.Manager),
            ])
            .When(new C.RecordFirstContact(Practitioner, recorded, contacted, Consent: true))
            .Then(new FirstContactRecorded(Practitioner, recorded, contacted, true));
    }

    [Fact]
    public void NoConsentClosesTheCaseWithThatReasonAndSendsNoSurvey()
    {
        var state = Given(Histories.AtStage(Stage.Allocated))
            .When(new C.RecordFirstContact(Practitioner, ContactRecordedAt, ContactedAt, Consent: false))
            .Then(
                new FirstContactRecorded(Practitioner, ContactRecordedAt, ContactedAt, false),
                new TimerCancelled(Practitioner, ContactRecordedAt, TimerKind.FirstContactReminder),
                new TimerCancelled(Practitioner, ContactRecordedAt, TimerKind.FirstContactDeadline),
                new Closed(Practitioner, ContactRecordedAt, ClosureReasons.NoConsent, null, null),
                new TimerCancelled(Practitioner, ContactRecordedAt, TimerKind.ReviewReminder),
                new TimerCancelled(Practitioner, ContactRecordedAt, TimerKind.ReviewOverdue),
                new TimerSet(Practitioner, ContactRecordedAt, TimerKind.RetentionReview, RetentionDue));

        Assert.Equal(Stage.Closed, state.Stage);
        Assert.Equal(ClosureReasons.NoConsent, state.ClosureReason);
        Assert.False(state.Consent);
        Assert.Equal(RiskLevel.High, state.RiskAtClosure);
        Assert.Null(state.NextReviewDue);
        Assert.Equal([TimerKind.RetentionReview], state.Timers.Keys);
    }

    [Fact]
    public void TheManagerMayRecordFirstContactOnThePractitionersBehalf()
    {
        Given(Histories.AtStage(Stage.Allocated))
            .When(new C.RecordFirstContact(Manager, ContactRecordedAt, ContactedAt, Consent: true))
            .Then(
                new FirstContactRecorded(Manager, ContactRecordedAt, ContactedAt, true),
                new TimerCancelled(Manager, ContactRecordedAt, TimerKind.FirstContactReminder),
                new TimerCancelled(Manager, ContactRecordedAt, TimerKind.FirstContactDeadline));
    }

    [Fact]
    public void RecordingTheSameFirstContactTwiceChangesNothingTheSecondTime()
    {
        Given(Histories.AtStage(Stage.Active))
            .When(new C.RecordFirstContact(Practitioner, ContactRecordedAt.AddMinutes(1), ContactedAt, Consent: true))
            .ThenNothingHappens();
    }

    [Fact]
    public void RecordingTheSameRefusalTwiceChangesNothingTheSecondTime()
    {
        Given(Histories.ClosedForNoConsent())
            .When(new C.RecordFirstContact(Practitioner, ContactRecordedAt.AddMinutes(1), ContactedAt, Consent: false))
            .ThenNothingHappens();
    }

    [Fact]
    public void AnotherFirstContactOnAnActiveCaseIsOutOfStep()
    {
        Given(Histories.AtStage(Stage.Active))
            .When(new C.RecordFirstContact(Practitioner, Later, Later.AddHours(-1), Consent: true))
            .ThenRejected(RejectionKind.WrongStep);
    }

    [Fact]
    public void APractitionerWhoDoesNotHoldTheCaseCannotRecordItsFirstContact()
    {
        var rejected = Given(Histories.AtStage(Stage.Allocated))
            .When(new C.RecordFirstContact(OtherPractitioner, ContactRecordedAt, ContactedAt, Consent: true))
            .ThenRejected(RejectionKind.NotAllowed);

        Assert.DoesNotContain("p-1", rejected.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Role.Referrer)]
    [InlineData(Role.YoungPerson)]
    [InlineData(Role.Panel)]
    [InlineData(Role.System)]
    public void OnlyTheCaseHolderOrTheManagerRecordsFirstContact(Role role)
    {
        Given(Histories.AtStage(Stage.Allocated))
            .When(new C.RecordFirstContact(Playing(role), ContactRecordedAt, ContactedAt, Consent: true))
            .ThenRejected(RejectionKind.NotAllowed);
    }

    [Fact]
    public void FirstContactCannotHaveHappenedAfterItIsRecorded()
    {
        Given(Histories.AtStage(Stage.Allocated))
            .When(new C.RecordFirstContact(Practitioner, ContactRecordedAt, ContactRecordedAt.AddMinutes(1), Consent: true))
            .ThenRejected(RejectionKind.Invalid, "contactedAt");
    }

    [Fact]
    public void FirstContactCannotHaveHappenedBeforeTheReferralArrived()
    {
        Given(Histories.AtStage(Stage.Allocated))
            .When(new C.RecordFirstContact(Practitioner, ContactRecordedAt, T0.AddMinutes(-1), Consent: true))
            .ThenRejected(RejectionKind.Invalid, "contactedAt");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    public void FirstContactAtTheMomentOfArrivalOrOfRecordingIsAccepted(int hoursAfterArrival)
    {
        var contacted = T0.AddHours(hoursAfterArrival);

        Given(Histories.AtStage(Stage.Allocated))
            .When(new C.RecordFirstContact(Practitioner, ContactRecordedAt, contacted, Consent: true))
            .Then(
                new FirstContactRecorded(Practitioner, ContactRecordedAt, contacted, true),
                new TimerCancelled(Practitioner, ContactRecordedAt, TimerKind.FirstContactReminder),
                new TimerCancelled(Practitioner, ContactRecordedAt, TimerKind.FirstContactDeadline));
    }
}
