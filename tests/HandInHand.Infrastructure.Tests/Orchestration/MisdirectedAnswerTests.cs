using System.Text.Json;
using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Referrals;
using HandInHand.Domain.Workflow;
using HandInHand.Infrastructure.Orchestration;
using HandInHand.Infrastructure.Workflow;

namespace HandInHand.Infrastructure.Tests.Orchestration;

/// <summary>
/// The orchestration takes only its own call's answer. On the Azure Storage backend an episode
/// sends its messages before it commits its history; when the host dies in between, the next
/// attempt may meet its messages in another order and decide otherwise, and the activities the
/// dead attempt started still answer, under task ids the new attempt gave to other calls. A fault
/// run found a timer's step taken as recorded on the strength of another step's answer, and its
/// reminder sent, while the store held the other step.
/// </summary>
public sealed class MisdirectedAnswerTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly LifecycleSettings Settings = new();

    private static ReferralCommand.Receive Receive(RiskLevel risk) =>
        new(Actor.System, At, "HH-2026-00001", ServicePathway.HandInHand, "Selby", risk, new DateOnly(2011, 5, 4), []);

    [Fact]
    public async Task AnAnswerUnderAnotherCallsIdIsPassedOverAndTheCallIsMadeAgain()
    {
        // What the store really holds from version 0: the same referral decided by the dead attempt, at another risk.
        var recorded = new ReferralDecider(Settings).Decide(Receive(RiskLevel.Standard), ReferralState.Initial);
        var context = new ScriptedOrchestrationContext(At.UtcDateTime.AddSeconds(5), (name, call, n) => name switch
        {
            // First, the dead attempt's answer: "recorded", for its own step, under its own call id.
            ReferralActivityNames.RecordStep when n == 1 => new ActivityReply<StepRecorded>("a-call-of-the-dead-attempt", new StepRecorded(Settings)),
            ReferralActivityNames.RecordStep => new ActivityReply<StepRecorded>(call.CallId, new StepRecorded(Settings, new StoredStep(0, recorded, null))),
            ReferralActivityNames.RecordOutcome or ReferralActivityNames.ReleaseReservation => new ActivityReply<bool>(call.CallId, true),
            _ => new ActivityReply<EffectResult>(call.CallId, EffectResult.None),
        });

        await new ReferralOrchestrator().RunAsync(context, ReferralRun.Start(Receive(RiskLevel.High), Settings));

        Assert.Equal(2, context.Calls.Count(c => c.Name == ReferralActivityNames.RecordStep));
        var run = Assert.IsType<ReferralRun>(context.ContinuedWith);
        Assert.Equal(recorded.Count, run.Version);
        Assert.Equal(Json(ReferralState.Initial.Evolve(recorded)), Json(run.State));
        var effects = context.Calls.Where(c => c.Input is EffectWork).Select(c => Json(((EffectWork)c.Input).Effect));
        Assert.Equal(Reactor.React(ReferralState.Initial, recorded).Select(Json), effects);
        Assert.IsType<ReferralCommand.Receive>(Assert.Single(run.FollowUps).Command);
    }

    [Fact]
    public async Task AnAnswerThatIsNoActivitysAnswerIsPassedOverAndTheCallIsMadeAgain()
    {
        // A timer of the dead attempt that fires under an activity's task id brings its own id as the
        // answer, which the payload converter cannot read as an activity's answer.
        var context = new ScriptedOrchestrationContext(At.UtcDateTime.AddSeconds(5), (name, call, n) => name switch
        {
            ReferralActivityNames.RecordStep when n == 1 => new JsonException("'0' is not an activity's answer."),
            ReferralActivityNames.RecordStep => new ActivityReply<StepRecorded>(call.CallId, new StepRecorded(Settings)),
            ReferralActivityNames.RecordOutcome or ReferralActivityNames.ReleaseReservation => new ActivityReply<bool>(call.CallId, true),
            _ => new ActivityReply<EffectResult>(call.CallId, EffectResult.None),
        });

        await new ReferralOrchestrator().RunAsync(context, ReferralRun.Start(Receive(RiskLevel.High), Settings));

        Assert.Equal(2, context.Calls.Count(c => c.Name == ReferralActivityNames.RecordStep));
        var run = Assert.IsType<ReferralRun>(context.ContinuedWith);
        var decided = new ReferralDecider(Settings).Decide(Receive(RiskLevel.High), ReferralState.Initial);
        Assert.Equal(Json(ReferralState.Initial.Evolve(decided)), Json(run.State));
        Assert.Empty(run.FollowUps);
    }

    private static string Json(object value) => JsonSerializer.Serialize(value, value.GetType(), WorkflowJson.Options);
}
