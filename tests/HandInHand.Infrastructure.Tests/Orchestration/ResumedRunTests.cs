using System.Text.Json;
using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Referrals;
using HandInHand.Domain.Workflow;
using HandInHand.Infrastructure.Orchestration;
using HandInHand.Infrastructure.Workflow;

namespace HandInHand.Infrastructure.Tests.Orchestration;

/// <summary>
/// A run started again from the stored state after its orchestration failed
/// (<see cref="FailedOrchestrations"/>). The failed run may have recorded a step and died before
/// that step's effects, follow-ups or answer: the resumed run does them first.
/// </summary>
public sealed class ResumedRunTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly LifecycleSettings Settings = new();
    private static readonly Actor Manager = new("manager-1", Role.Manager);

    [Fact]
    public async Task AResumedRunCarriesOutTheStoresLastStepAgainTakesItsFollowUpsAndAnswersItsCommandWithoutDecidingAnything()
    {
        var decider = new ReferralDecider(Settings);
        var received = decider.Decide(new ReferralCommand.Receive(Actor.System, At, "HH-2026-00001", ServicePathway.HandInHand, "Selby", RiskLevel.High, new DateOnly(2011, 5, 4), []), ReferralState.Initial);
        var afterReceipt = ReferralState.Initial.Evolve(received);
        var accepted = decider.Decide(new ReferralCommand.Accept(Manager, At.AddHours(1)), afterReceipt);
        var stored = afterReceipt.Evolve(accepted);
        var version = received.Count + accepted.Count;
        var allocate = new ReferralCommand.Allocate(Actor.System, At.AddHours(1), "practitioner-selby", Manual: false);
        var context = new ScriptedOrchestrationContext(At.UtcDateTime.AddHours(2), (name, call, n) => name switch
        {
            ReferralActivityNames.ReadLastStep => new ActivityReply<StepRecorded>(call.CallId, new StepRecorded(Settings, new StoredStep(received.Count, accepted, "accept-1", afterReceipt))),
            ReferralActivityNames.RecordOutcome => new ActivityReply<bool>(call.CallId, true),
            nameof(Effect.AllocateAutomatically) => new ActivityReply<EffectResult>(call.CallId, new EffectResult([allocate], [])),
            _ => new ActivityReply<EffectResult>(call.CallId, EffectResult.None),
        });

        await new ReferralOrchestrator().RunAsync(context, new ReferralRun("HH-2026-00001", stored, version, Settings, [], [], null, [], Resume: true));

        var run = Assert.IsType<ReferralRun>(context.ContinuedWith);
        Assert.False(run.Resume);
        Assert.Equal(version, run.Version);
        Assert.Equal(Json(stored), Json(run.State));
        Assert.Contains("accept-1", run.RecentCommandIds);
        Assert.DoesNotContain(context.Calls, c => c.Name == ReferralActivityNames.RecordStep);

        var effects = context.Calls.Where(c => c.Input is EffectWork).Select(c => (EffectWork)c.Input).ToList();
        Assert.Equal(Reactor.React(afterReceipt, accepted).Select(Json), effects.Select(w => Json(w.Effect)));
        Assert.All(effects, w => Assert.Equal(version, w.Version));
        Assert.Equal(allocate, Assert.Single(run.FollowUps).Command);
        var outcome = Assert.IsType<CommandOutcome>(Assert.Single(context.Calls, c => c.Name == ReferralActivityNames.RecordOutcome).Input);
        Assert.Equal(("accept-1", version, true), (outcome.CommandId, outcome.Version, outcome.Changed));
    }

    [Fact]
    public async Task AResumedRunOfAReferralWithNoStepRecordedGoesOnAsItWas()
    {
        var context = new ScriptedOrchestrationContext(At.UtcDateTime, (name, call, n) => name == ReferralActivityNames.ReadLastStep
            ? new ActivityReply<StepRecorded>(call.CallId, new StepRecorded(Settings))
            : throw new InvalidOperationException($"{name} was called."));

        await new ReferralOrchestrator().RunAsync(context, new ReferralRun("HH-2026-00001", ReferralState.Initial, 0, Settings, [], [], null, ["earlier"], Resume: true));

        var run = Assert.IsType<ReferralRun>(context.ContinuedWith);
        Assert.False(run.Resume);
        Assert.Equal(0, run.Version);
        Assert.Equal(["earlier"], run.RecentCommandIds);
        Assert.Single(context.Calls);
    }

    private static string Json(object value) => JsonSerializer.Serialize(value, value.GetType(), WorkflowJson.Options);
}
