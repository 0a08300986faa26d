using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace HandInHand.Functions.Hosting;

/// <summary>
/// The <see cref="DurableTaskClient"/> the app's services hold (<c>ReferralCommands</c> is a
/// singleton) under the Functions worker. The Functions durable client exists only as an
/// invocation's <c>[DurableClient]</c> binding — it speaks to the host's endpoint named in the
/// binding data — so every HTTP invocation lends its client before the app serves the request,
/// and this one forwards to the latest lent. The host's endpoint and task hub do not change
/// while the worker runs, so any lent client reaches the same task hub.
/// </summary>
public sealed class LentDurableTaskClient() : DurableTaskClient("functions")
{
    private DurableTaskClient? _lent;

    /// <summary>Makes <paramref name="client"/> the one commands go through from now on.</summary>
    public void Lend(DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        Volatile.Write(ref _lent, client);
    }

    private DurableTaskClient Lent =>
        Volatile.Read(ref _lent) ?? throw new InvalidOperationException("No Functions invocation has lent its durable client yet.");

    public override Task<string> ScheduleNewOrchestrationInstanceAsync(TaskName orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellation = default) =>
        Lent.ScheduleNewOrchestrationInstanceAsync(orchestratorName, input, options, cancellation);

    public override Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default) =>
        Lent.RaiseEventAsync(instanceId, eventName, eventPayload, cancellation);

    public override Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        Lent.SuspendInstanceAsync(instanceId, reason, cancellation);

    public override Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        Lent.ResumeInstanceAsync(instanceId, reason, cancellation);

    public override Task TerminateInstanceAsync(string instanceId, TerminateInstanceOptions? options = null, CancellationToken cancellation = default) =>
        Lent.TerminateInstanceAsync(instanceId, options, cancellation);

    public override Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        Lent.GetInstancesAsync(instanceId, getInputsAndOutputs, cancellation);

    public override Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        Lent.WaitForInstanceStartAsync(instanceId, getInputsAndOutputs, cancellation);

    public override Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        Lent.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs, cancellation);

    public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? filter = null) =>
        Lent.GetAllInstancesAsync(filter);

    public override Task<PurgeResult> PurgeInstanceAsync(string instanceId, PurgeInstanceOptions? options = null, CancellationToken cancellation = default) =>
        Lent.PurgeInstanceAsync(instanceId, options, cancellation);

    public override Task<PurgeResult> PurgeAllInstancesAsync(PurgeInstancesFilter filter, PurgeInstanceOptions? options = null, CancellationToken cancellation = default) =>
        Lent.PurgeAllInstancesAsync(filter, options, cancellation);

    /// <summary>The lent clients belong to their invocations' bindings; nothing here to dispose.</summary>
    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
