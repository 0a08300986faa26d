using System.Text.Json;
using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Referrals;
using HandInHand.Domain.Workflow;
using HandInHand.Infrastructure.Orchestration;
using HandInHand.Infrastructure.Workflow;

namespace HandInHand.Infrastructure.Tests.Orchestration;

/// <summary>
/// A start the backend delivers again. On the Azure Storage backend, a worker that loses the race
/// for an orchestration's first message abandons it back to its queue; a fault run saw the
/// orchestration meanwhile run its first generation and continue as new, and the start message then
/// come back and begin the referral again from its form, over a referral already steps further on.
/// Its orchestration failed. The run that fell behind must take up where the store is.
/// </summary>
public sealed class StaleStartTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly LifecycleSettings Settings = new();
    private static readonly Actor Manager = new("manager-1", Role.Manager);

    private static ReferralCommand.Receive Receive() =>
        new(Actor.System, At, "HH-2026-00001", ServicePathway.HandInHand, "Selby", RiskLevel.High, new DateOnly(2011, 5, 4), []);

    [Fact]
    public async Task AStartMetAgainAfterTheReferralMovedOnTakesUpTheStoresLastStepAndChangesNothingElse()
    {
        var decider = new ReferralDecider(Settings);
        var received = decider.Decide(Receive(), ReferralState.Initial);
        var afterReceipt = ReferralState.Initial.Evolve(received);
        var accepted = decider.Decide(new ReferralCommand.Accept(Manager, At.AddHours(1)), afterReceipt);
        var last = new StoredStep(received.Count, accepted, "accept-1", afterReceipt);
        var context = new ScriptedOrchestrationContext(At.UtcDateTime.AddHours(2), (name, call, n) => name switch
        {
            ReferralActivityNames.RecordStep => new ActivityReply<StepRecorded>(call.CallId, new StepRecorded(Settings, last)),
            ReferralActivityNames.RecordOutcome or ReferralActivityNames.ReleaseReservation => new ActivityReply<bool>(call.CallId, true),
            _ => new ActivityReply<EffectResult>(call.CallId, EffectResult.None),
        });

        await new ReferralOrchestrator().RunAsync(context, ReferralRun.Start(Receive(), Settings));

        var run = Assert.IsType<ReferralRun>(context.ContinuedWith);
        Assert.Equal(received.Count + accepted.Count, run.Version);
        Assert.Equal(Json(afterReceipt.Evolve(accepted)), Json(run.State));
        Assert.Contains("accept-1", run.RecentCommandIds);

        // The last step's effects are carried out again (each is idempotent), under its own version,
        // and its command's caller learns that it was applied.
        var effects = context.Calls.Where(c => c.Input is EffectWork).Select(c => (EffectWork)c.Input).ToList();
        Assert.Equal(Reactor.React(afterReceipt, accepted).Select(Json), effects.Select(w => Json(w.Effect)));
        Assert.All(effects, w => Assert.Equal(run.Version, w.Version));
        var outcome = Assert.IsType<CommandOutcome>(Assert.Single(context.Calls, c => c.Name == ReferralActivityNames.RecordOutcome).Input);
        Assert.Equal(("accept-1", run.Version, true), (outcome.CommandId, outcome.Version, outcome.Changed));

        // The stale form's arrival, put back in the queue, is then decided against the accepted referral: nothing happens.
        Assert.IsType<ReferralCommand.Receive>(Assert.Single(run.FollowUps).Command);
        var next = new ScriptedOrchestrationContext(At.UtcDateTime.AddHours(2), (name, call, n) => throw new InvalidOperationException($"{name} was called."));
        await new ReferralOrchestrator().RunAsync(next, run);
        Assert.Empty(next.Calls);
        var after = Assert.IsType<ReferralRun>(next.ContinuedWith);
        Assert.Equal(run.Version, after.Version);
        Assert.Equal(Json(run.State), Json(after.State));
        Assert.Empty(after.FollowUps);
    }

    private static string Json(object value) => JsonSerializer.Serialize(value, value.GetType(), WorkflowJson.Options);
}
