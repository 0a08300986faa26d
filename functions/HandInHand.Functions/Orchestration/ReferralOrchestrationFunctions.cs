using HandInHand.Functions.Hosting;
using HandInHand.Infrastructure.Orchestration;
using HandInHand.Infrastructure.Orchestration.Activities;
using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Workflow;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace HandInHand.Functions.Orchestration;

/// <summary>
/// The referral orchestration under the Functions host: one orchestration trigger running
/// <see cref="ReferralOrchestrator"/>, and one activity trigger per name in
/// <see cref="ReferralTasks.Activities"/>, each running that activity class built from the app's
/// services — the same classes, under the same names, as the local host's worker runs. Written by
/// hand (the Durable Task source generator is not served here); a test holds the names to
/// <see cref="ReferralTasks"/>. Each trigger's parameter is the activity's input type (its input
/// under the call's id), which is what the extension deserializes the payload as.
/// </summary>
public sealed class ReferralOrchestrationFunctions(ApplicationPipeline pipeline)
{
    /// <summary>The orchestrator, awaiting nothing but the context's own tasks, as the extension requires.</summary>
    [Function(ReferralActivityNames.Orchestrator)]
    public static Task<string?> RunReferral([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var input = context.GetInput<ReferralRun>() ?? throw new InvalidOperationException("The referral orchestration was started without its run.");
        return new ReferralOrchestrator().RunAsync(context, input);
    }

    [Function(ReferralActivityNames.RecordStep)]
    public Task<ActivityReply<StepRecorded>> RecordStep([ActivityTrigger] ActivityCall<StepRecord> input, FunctionContext context) =>
        RunAsync<ActivityCall<StepRecord>, ActivityReply<StepRecorded>>(ReferralActivityNames.RecordStep, input, context);

    [Function(ReferralActivityNames.RecordOutcome)]
    public Task<ActivityReply<bool>> RecordOutcome([ActivityTrigger] ActivityCall<CommandOutcome> input, FunctionContext context) =>
        RunAsync<ActivityCall<CommandOutcome>, ActivityReply<bool>>(ReferralActivityNames.RecordOutcome, input, context);

    [Function(ReferralActivityNames.ReadLastStep)]
    public Task<ActivityReply<StepRecorded>> ReadLastStep([ActivityTrigger] ActivityCall<string> input, FunctionContext context) =>
        RunAsync<ActivityCall<string>, ActivityReply<StepRecorded>>(ReferralActivityNames.ReadLastStep, input, context);

    [Function(ReferralActivityNames.ReleaseReservation)]
    public Task<ActivityReply<bool>> ReleaseReservation([ActivityTrigger] ActivityCall<ReleaseReservationWork> input, FunctionContext context) =>
        RunAsync<ActivityCall<ReleaseReservationWork>, ActivityReply<bool>>(ReferralActivityNames.ReleaseReservation, input, context);

    [Function(nameof(Effect.Notify))]
    public Task<ActivityReply<EffectResult>> Notify([ActivityTrigger] ActivityCall<EffectWork> input, FunctionContext context) =>
        RunEffectAsync(nameof(Effect.Notify), input, context);

    [Function(nameof(Effect.AllocateAutomatically))]
    public Task<ActivityReply<EffectResult>> AllocateAutomatically([ActivityTrigger] ActivityCall<EffectWork> input, FunctionContext context) =>
        RunEffectAsync(nameof(Effect.AllocateAutomatically), input, context);

    [Function(nameof(Effect.JoinWaitingList))]
    public Task<ActivityReply<EffectResult>> JoinWaitingList([ActivityTrigger] ActivityCall<EffectWork> input, FunctionContext context) =>
        RunEffectAsync(nameof(Effect.JoinWaitingList), input, context);

    [Function(nameof(Effect.LeaveWaitingList))]
    public Task<ActivityReply<EffectResult>> LeaveWaitingList([ActivityTrigger] ActivityCall<EffectWork> input, FunctionContext context) =>
        RunEffectAsync(nameof(Effect.LeaveWaitingList), input, context);

    [Function(nameof(Effect.ReleaseCaseload))]
    public Task<ActivityReply<EffectResult>> ReleaseCaseload([ActivityTrigger] ActivityCall<EffectWork> input, FunctionContext context) =>
        RunEffectAsync(nameof(Effect.ReleaseCaseload), input, context);

    [Function(nameof(Effect.AwaitRetentionReview))]
    public Task<ActivityReply<EffectResult>> AwaitRetentionReview([ActivityTrigger] ActivityCall<EffectWork> input, FunctionContext context) =>
        RunEffectAsync(nameof(Effect.AwaitRetentionReview), input, context);

    [Function(nameof(Effect.EndRetentionReview))]
    public Task<ActivityReply<EffectResult>> EndRetentionReview([ActivityTrigger] ActivityCall<EffectWork> input, FunctionContext context) =>
        RunEffectAsync(nameof(Effect.EndRetentionReview), input, context);

    [Function(nameof(Effect.ErasePersonalData))]
    public Task<ActivityReply<EffectResult>> ErasePersonalData([ActivityTrigger] ActivityCall<EffectWork> input, FunctionContext context) =>
        RunEffectAsync(nameof(Effect.ErasePersonalData), input, context);

    [Function(nameof(Effect.AnnounceStageChange))]
    public Task<ActivityReply<EffectResult>> AnnounceStageChange([ActivityTrigger] ActivityCall<EffectWork> input, FunctionContext context) =>
        RunEffectAsync(nameof(Effect.AnnounceStageChange), input, context);

    [Function(nameof(Effect.RefreshProjections))]
    public Task<ActivityReply<EffectResult>> RefreshProjections([ActivityTrigger] ActivityCall<EffectWork> input, FunctionContext context) =>
        RunEffectAsync(nameof(Effect.RefreshProjections), input, context);

    private Task<ActivityReply<EffectResult>> RunEffectAsync(string name, ActivityCall<EffectWork> input, FunctionContext context) =>
        RunAsync<ActivityCall<EffectWork>, ActivityReply<EffectResult>>(name, input, context);

    /// <summary>Runs the activity class registered under <paramref name="name"/>, built from the app's services.</summary>
    public async Task<TOutput> RunAsync<TInput, TOutput>(string name, TInput input, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var activity = (ITaskActivity)ActivatorUtilities.CreateInstance(pipeline.Services, ReferralTasks.Activities[name]);
        var output = await activity.RunAsync(new FunctionsActivityContext(name, InstanceIdOf(context)), input).ConfigureAwait(false);
        return (TOutput)output!;
    }

    private static string InstanceIdOf(FunctionContext context) =>
        context.BindingContext.BindingData.TryGetValue("instanceId", out var id) && id is not null ? id.ToString() ?? string.Empty : string.Empty;
}
