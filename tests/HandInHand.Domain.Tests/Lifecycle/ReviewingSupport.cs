using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Referrals;
using static HandInHand.Domain.Lifecycle.ReferralEvent;
using static HandInHand.Domain.Tests.Lifecycle.Cast;
using static HandInHand.Domain.Tests.Lifecycle.Moments;
using static HandInHand.Domain.Tests.Lifecycle.Spec;
using static HandInHand.Domain.Tests.Lifecycle.TheReferral;
using C = HandInHand.Domain.Lifecycle.ReferralCommand;

namespace HandInHand.Domain.Tests.Lifecycle;

public class ReviewingSupport
{
    private static readonly DateTimeOffset ReviewedAt = AllocatedAt.AddDays(40);

    [Fact]
    public void AReviewRecordsTheScoresAndRiskAndSchedulesTheNextReviewSixWeeksOn()
    {
        var state = Given(Histories.AtStage(Stage.Active))
            .When(new C.RecordReview(Practitioner, ReviewedAt, Wheel(5), Lights(), RiskLevel.Medium))
            .Then(
                new ReviewRecorded(Practitioner, ReviewedAt, Wheel(5), Lights(), RiskLevel.Medium),
                new ReviewScheduled(Practitioner, ReviewedAt, ReviewedAt.AddDays(42)),
                new TimerSet(Practitioner, ReviewedAt, TimerKind.ReviewReminder, ReviewedAt.AddDays(39)),
                new TimerSet(Practitioner, ReviewedAt, TimerKind.ReviewOverdue, ReviewedAt.AddDays(49)));

        Assert.Equal(1, state.ReviewCount);
        Assert.Equal(RiskLevel.Medium, state.CurrentRisk);
        Assert.Equal(RiskLevel.High, state.RiskAtAllocation);
        Assert.Equal(ReviewedAt.AddDays(42), state.NextReviewDue);
        Assert.Equal(ReviewedAt.AddDays(39), state.Timers[TimerKind.ReviewReminder]);
        Assert.Equal(ReviewedAt.AddDays(49), state.Timers[TimerKind.ReviewOverdue]);
    }

    [Fact]
    public void AnOverdueReviewStillSchedulesTheNextFromWhenItHappened()
    {
        var overdue = AllocatedAt.AddDays(49);
        var late = overdue.AddDays(2);

        Given(
            [
                .. Histories.AtStage(Stage.Active),
                new TimerFired(Actor.System, overdue.AddDays(-10), TimerKind.ReviewReminder, overdue.AddDays(-10)),
                new NotificationQueued(Actor.System, overdue.AddDays(-10), NotificationKind.ReviewReminder, PractitionerRecipient),
                new TimerFired(Actor.System, overdue, TimerKind.ReviewOverdue, overdue),
                new NotificationQueued(Actor.System, overdue, NotificationKind.ReviewOverdueEscalation, Recipient.Manager),
            ])
            .When(new C.RecordReview(Practitioner, late, Wheel(6), Lights(), RiskLevel.High))
            .Then(
                new ReviewRecorded(Practitioner, late, Wheel(6), Lights(), RiskLevel.High),
                new ReviewScheduled(Practitioner, late, late.AddDays(42)),
                new TimerSet(Practitioner, late, TimerKind.ReviewReminder, late.AddDays(39)),
                new TimerSet(Practitioner, late, TimerKind.ReviewOverdue, late.AddDays(49)));
    }

    [Fact]
    public void TheManagerMayRecordAReview()
    {
        Given(Histories.AtStage(Stage.Active))
            .When(new C.RecordReview(Manager, ReviewedAt, Wheel(5), Lights(), RiskLevel.Medium))
            .Then(
                new ReviewRecorded(Manager, ReviewedAt, Wheel(5), Lights(), RiskLevel.Medium),
                new ReviewScheduled(Manager, ReviewedAt, ReviewedAt.AddDays(42)),
                new TimerSet(Manager, ReviewedAt, TimerKind.ReviewReminder, ReviewedAt.AddDays(39)),
                new TimerSet(Manager, ReviewedAt, TimerKind.ReviewOverdue, ReviewedAt.AddDays(49)));
    }

    [Fact]
    public void APractitionerWhoDoesNotHoldTheCaseCannotReviewIt()
    {
        Given(Histories.AtStage(Stage.Active))
            .When(new C.RecordReview(OtherPractitioner, ReviewedAt, Wheel(5), Lights(), RiskLevel.Medium))
            .ThenRejected(RejectionKind.NotAllowed);
    }

    [Theory]
    [InlineData(Role.Referrer)]
    [InlineData(Role.YoungPerson)]
    [InlineData(Role.Analyst)]
    [InlineData(Role.System)]
    public void OnlyTheCaseHolderOrTheManagerRecordsAReview(Role role)
    {
        Given(Histories.AtStage(Stage.Active))
            .When(new C.RecordReview(Playing(role), ReviewedAt, Wheel(5), Lights(), RiskLevel.Medium))
            .ThenRejected(RejectionKind.NotAllowed);
    }

    [Theory]
    [InlineData("safety", null)]
    [InlineData("mental-and-emotional-health", null)]
    [InlineData("happiness", 5)]
    [InlineData("safety", 0)]
    [InlineData("safety", 11)]
    [InlineData("positive-activities", -1)]
    public void AReviewNeedsEveryMyWheelDomainScoredFromOneToTen(string domain, int? score)
    {
        Given(Histories.AtStage(Stage.Active))
            .When(new C.RecordReview(Practitioner, ReviewedAt, WheelWith(domain, score), Lights(), RiskLevel.Medium))
            .ThenRejected(RejectionKind.Invalid, "myWheel");
    }

    [Fact]
    public void AnEmptyMyWheelIsRefused()
    {
        Given(Histories.AtStage(Stage.Active))
            .When(new C.RecordReview(Practitioner, ReviewedAt, NoWheel, Lights(), RiskLevel.Medium))
            .ThenRejected(RejectionKind.Invalid, "myWheel");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    public void OneAndTenAreTheEndsOfTheMyWheelScale(int score)
    {
        Given(Histories.AtStage(Stage.Active))
            .When(new C.RecordReview(Practitioner, ReviewedAt, Wheel(score), Lights(), RiskLevel.Medium))
            .Then(
                new ReviewRecorded(Practitioner, ReviewedAt, Wheel(score), Lights(), RiskLevel.Medium),
                new ReviewScheduled(Practitioner, ReviewedAt, ReviewedAt.AddDays(42)),
                new TimerSet(Practitioner, ReviewedAt, TimerKind.ReviewReminder, ReviewedAt.AddDays(39)),
                new TimerSet(Practitioner, ReviewedAt, TimerKind.ReviewOverdue, ReviewedAt.AddDays(49)));
    }

    [Fact]
    public void AConfiguredMyWheelReplacesTheDefaultDomains()
    {
        var settings = new LifecycleSettings { MyWheelDomains = ["safety", "school"] };
        var wheel = new Dictionary<string, int> { ["safety"] = 4, ["school"] = 6 };

        Given(Histories.AtStage(Stage.Active))
            .With(settings)
            .When(new C.RecordReview(Practitioner, ReviewedAt, wheel, Lights(), RiskLevel.Medium))
            .Then(
                new ReviewRecorded(Practitioner, ReviewedAt, wheel, Lights(), RiskLevel.Medium),
                new ReviewScheduled(Practitioner, ReviewedAt, ReviewedAt.AddDays(42)),
                new TimerSet(Practitioner, ReviewedAt, TimerKind.ReviewReminder, ReviewedAt.AddDays(39)),
                new TimerSet(Practitioner, ReviewedAt, TimerKind.ReviewOverdue, ReviewedAt.AddDays(49)));

        Given(Histories.AtStage(Stage.Active))
            .With(settings)
            .When(new C.RecordReview(Practitioner, ReviewedAt, Wheel(5), Lights(), RiskLevel.Medium))
            .ThenRejected(RejectionKind.Invalid, "myWheel");
    }

    public static TheoryData<string> BadTrafficLights() => ["blank indicator", "long indicator", "too many indicators", "unknown rating"];

    [Theory]
    [MemberData(nameof(BadTrafficLights))]
    public void TheTrafficLightTrackerTakesUpToFiftyNamedIndicatorsRatedRedAmberOrGreen(string fault)
    {
        Dictionary<string, TrafficLight> lights = fault switch
        {
            "blank indicator" => new() { [" "] = TrafficLight.Red },
            "long indicator" => new() { [new string('x', 101)] = TrafficLight.Red },
            "too many indicators" => Enumerable.Range(0, 51).ToDictionary(i => $"indicator-{i}", _ => TrafficLight.Green),
            "unknown rating" => new() { ["going-missing"] = (TrafficLight)7 },
            _ => throw new ArgumentOutOfRangeException(nameof(fault), fault, null),
        };

        Given(Histories.AtStage(Stage.Active))
            .When(new C.RecordReview(Practitioner, ReviewedAt, Wheel(5), lights, RiskLevel.Medium))
            .ThenRejected(RejectionKind.Invalid, "trafficLights");
    }
}
