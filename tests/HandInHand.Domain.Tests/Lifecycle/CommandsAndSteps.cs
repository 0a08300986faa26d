using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Referrals;
using static HandInHand.Domain.Tests.Lifecycle.Cast;
using static HandInHand.Domain.Tests.Lifecycle.Moments;
using static HandInHand.Domain.Tests.Lifecycle.Spec;
using static HandInHand.Domain.Tests.Lifecycle.TheReferral;
using C = HandInHand.Domain.Lifecycle.ReferralCommand;

namespace HandInHand.Domain.Tests.Lifecycle;

/// <summary>
/// The whole command × step table: each command is decided (events, or none for a repeat) at the
/// steps listed in <see cref="Fits"/>, and refused as out of step, naming the step, everywhere else.
/// Each command is given by someone allowed to give it, so only the step is in question.
/// </summary>
public class CommandsAndSteps
{
    private static readonly Dictionary<string, Stage[]> Fits = new()
    {
        ["Receive"] = [Stage.None],
        ["Accept"] = [Stage.AwaitingTriage, Stage.AwaitingAllocation],
        ["Decline"] = [Stage.AwaitingTriage, Stage.AwaitingInformation, Stage.Declined],
        ["RequestInformation"] = [Stage.AwaitingTriage, Stage.AwaitingInformation],
        ["ReceiveInformation"] = [Stage.AwaitingInformation, Stage.AwaitingTriage],
        ["Allocate"] = [Stage.AwaitingAllocation, Stage.WaitingList, Stage.Allocated, Stage.Active],
        ["PlaceOnWaitingList"] = [Stage.AwaitingAllocation, Stage.WaitingList],
        ["ConfirmStillNeeded"] = [Stage.WaitingList],
        ["RecordFirstContact"] = [Stage.Allocated],
        ["RecordReview"] = [Stage.Active],
        ["RecordSession"] = [Stage.Active],
        ["Close"] = [Stage.Allocated, Stage.Active, Stage.Closed],
        ["Withdraw"] = [Stage.AwaitingTriage, Stage.AwaitingInformation, Stage.AwaitingAllocation, Stage.WaitingList, Stage.Allocated, Stage.Active, Stage.Withdrawn],
        ["Reopen"] = [Stage.Closed],
        ["RecordContactChannel"] = [Stage.Allocated, Stage.Active, Stage.Closed],
        ["OptOutOfSurvey"] = [.. Enum.GetValues<Stage>().Except([Stage.None])],
        ["AnswerSurvey"] = [Stage.Closed],
        ["GivePartnerFeedback"] = [Stage.Closed],
        ["PlaceLegalHold"] = [.. Enum.GetValues<Stage>().Except([Stage.None])],
        ["ReleaseLegalHold"] = [.. Enum.GetValues<Stage>().Except([Stage.None])],
        // Only once the retention period has passed, which no standard story reaches: see Retention.
        ["ConfirmErasure"] = [],
    };

    public static TheoryData<string, Stage> OutOfStep()
    {
        var data = new TheoryData<string, Stage>();
        foreach (var (command, stages) in Fits)
        {
            foreach (var stage in Enum.GetValues<Stage>().Except(stages))
            {
                data.Add(command, stage);
            }
        }

        return data;
    }

    public static TheoryData<string, Stage> InStep()
    {
        var data = new TheoryData<string, Stage>();
        foreach (var (command, stages) in Fits)
        {
            foreach (var stage in stages)
            {
                data.Add(command, stage);
            }
        }

        return data;
    }

    [Fact]
    public void TheTableCoversEveryCommand()
    {
        var commands = typeof(ReferralCommand).GetNestedTypes().Where(t => t.IsSubclassOf(typeof(ReferralCommand))).Select(t => t.Name);

        Assert.Equal(commands.Except([nameof(C.FireTimer)]).Order(), Fits.Keys.Order());
    }

    [Theory]
    [MemberData(nameof(OutOfStep))]
    public void ACommandThatDoesNotFitTheStepIsRefusedNamingTheStep(string command, Stage stage)
    {
        var rejected = Given(Histories.AtStage(stage))
            .When(Command(command))
            .ThenRejected(RejectionKind.WrongStep);

        Assert.Contains(command, rejected.Message, StringComparison.Ordinal);
        Assert.Contains($"step {stage}", rejected.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(InStep))]
    public void ACommandThatFitsTheStepIsDecided(string command, Stage stage)
    {
        var state = Given(Histories.AtStage(stage)).State;

        var decided = new ReferralDecider(new LifecycleSettings()).Decide(Command(command), state);

        Assert.NotNull(state.Evolve(decided));
    }

    private static ReferralCommand Command(string name) => name switch
    {
        "Receive" => Commands.Receive(Later, reference: "HH-2027-00043"),
        "Accept" => new C.Accept(Manager, Later),
        "Decline" => new C.Decline(Manager, Later, "criteria not met", NotTakenReason.Criteria),
        "RequestInformation" => new C.RequestInformation(Manager, Later),
        "ReceiveInformation" => new C.ReceiveInformation(TheReferrer, Later),
        "Allocate" => new C.Allocate(Manager, Later, "p-2", Manual: true),
        "PlaceOnWaitingList" => new C.PlaceOnWaitingList(Manager, Later),
        "ConfirmStillNeeded" => new C.ConfirmStillNeeded(TheReferrer, Later),
        "RecordFirstContact" => new C.RecordFirstContact(Manager, Later, Later.AddHours(-1), Consent: true),
        "RecordReview" => new C.RecordReview(Manager, Later, Wheel(5), Lights(), RiskLevel.Medium),
        "RecordSession" => new C.RecordSession(Manager, Later, DateOnly.FromDateTime(Later.UtcDateTime), SessionKind.Phone, "talked about school"),
        "Close" => new C.Close(Manager, Later, "goals met", Wheel(6), RiskLevel.Standard),
        "Withdraw" => new C.Withdraw(TheReferrer, Later, "support found elsewhere", NotTakenReason.NoLongerNeeded),
        "Reopen" => new C.Reopen(Manager, Later, "new concerns"),
        "RecordContactChannel" => new C.RecordContactChannel(Manager, Later, ContactChannel.Email, MarkedSafe: true),
        "OptOutOfSurvey" => new C.OptOutOfSurvey(Manager, Later),
        "AnswerSurvey" => new C.AnswerSurvey(Cast.YoungPerson, ClosedAt.AddDays(1), SurveysAndRetention.AllYes),
        "GivePartnerFeedback" => new C.GivePartnerFeedback(TheReferrer, ClosedAt.AddDays(1), new PartnerFeedback(Answer.Yes, Answer.Yes, Answer.NotSure, Answer.No)),
        "PlaceLegalHold" => new C.PlaceLegalHold(Manager, Later, "court order"),
        "ReleaseLegalHold" => new C.ReleaseLegalHold(Manager, Later),
        "ConfirmErasure" => new C.ConfirmErasure(Manager, Later),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };
}
