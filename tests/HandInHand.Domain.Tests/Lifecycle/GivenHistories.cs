using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Referrals;

namespace HandInHand.Domain.Tests.Lifecycle;

/// <summary>The histories the specifications are given are the ones the decider itself writes.</summary>
public class GivenHistories
{
    public static TheoryData<Stage> Stages() => [.. Enum.GetValues<Stage>()];

    [Theory]
    [MemberData(nameof(Stages))]
    public void EachStageHistoryIsWhatTheDeciderRecordsForTheStandardStory(Stage stage)
    {
        var journey = new Journey().Then(Commands.ToReach(stage));

        Assert.Equal(Histories.AtStage(stage).Select(EventText.Of), journey.Events.Select(EventText.Of));
        Assert.Equal(stage, journey.State.Stage);
    }

    [Fact]
    public void TheNoConsentHistoryIsWhatTheDeciderRecords()
    {
        var journey = new Journey()
            .Then(Commands.ToReach(Stage.Allocated))
            .Then(Commands.RecordFirstContact(consent: false));

        Assert.Equal(Histories.ClosedForNoConsent().Select(EventText.Of), journey.Events.Select(EventText.Of));
    }

    [Fact]
    public void TheNoResponseHistoryIsWhatTheDeciderRecordsWhenEveryClockRunsOut()
    {
        var journey = new Journey()
            .Then(Commands.ToReach(Stage.AwaitingInformation))
            .TimerComesDue(TimerKind.FirstContactReminder)
            .TimerComesDue(TimerKind.FirstContactDeadline)
            .TimerComesDue(TimerKind.InformationReminder)
            .TimerComesDue(TimerKind.InformationDeadline);

        Assert.Equal(Histories.ClosedForNoResponse().Select(EventText.Of), journey.Events.Select(EventText.Of));
    }

    [Fact]
    public void TheTrustedRelationshipsHistoryIsWhatTheDeciderRecords()
    {
        var journey = new Journey()
            .Then(Commands.Receive(pathway: ServicePathway.TrustedRelationships))
            .Then(Commands.Accept(Cast.Panel))
            .Then(new ReferralCommand.Allocate(Cast.Panel, Moments.AllocatedAt, Cast.Practitioner.Id, Manual: true, Strand.AtRisk));

        Assert.Equal(Histories.TrustedRelationshipsAtStage(Stage.Allocated).Select(EventText.Of), journey.Events.Select(EventText.Of));
    }

    [Fact]
    public void EventsThatDifferOnlyInsideADictionaryOrListDoNotReadTheSame()
    {
        var at = Moments.T0;
        var a = new ReferralEvent.ReviewRecorded(Cast.Practitioner, at, TheReferral.Wheel(5), TheReferral.Lights(), RiskLevel.Medium);
        var sameContent = new ReferralEvent.ReviewRecorded(Cast.Practitioner, at, TheReferral.Wheel(5), TheReferral.Lights(), RiskLevel.Medium);
        var otherScore = a with { MyWheel = TheReferral.WheelWith("safety", 6) };

        Assert.Equal(EventText.Of(a), EventText.Of(sameContent));
        Assert.NotEqual(EventText.Of(a), EventText.Of(otherScore));
    }
}
