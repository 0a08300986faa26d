using HandInHand.Domain.Lifecycle;
using HandInHand.Infrastructure.Workflow;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HandInHand.Infrastructure.Orchestration;

/// <summary>
/// Starts again a referral's orchestration that failed, so that its timers fire and its commands
/// are taken again. A failed orchestration takes nothing: the backend drops the commands raised on
/// it and never fires its timers, and a referral must never stop like that.
/// </summary>
/// <remarks>
/// <para>
/// One way it happens is the backend's own: under storage faults the Azure Storage backend can meet
/// a referral's first start message again after the orchestration has moved on, run it as a fresh
/// start, and write that run's history over the live generation's first rows. The next replay then
/// finds one generation's input with another's events, and the orchestration fails as
/// non-deterministic. The fault run found this (about one run in three at seed 8).
/// </para>
/// <para>
/// The new run starts from the failed run's input when that is as far on as the store, and
/// otherwise from the stored state, first taking the store's last step again: its effects are
/// carried out again (each is idempotent by reference and version), its follow-ups come back, and
/// its command is answered. A command raised on the orchestration while it was failed was dropped.
/// If its caller still waits, it is not lost: a command whose outcome does not come within the wait
/// looks whether the orchestration failed, and if so starts it again and raises the command once
/// more (<see cref="ReferralCommands"/>). A caller already answered 202 finds its command still
/// pending, and must send it again.
/// </para>
/// <para>
/// A run that fails again for the same reason (a fault in the code, not the backend's) is started
/// again by every sweep, and each start is logged as a warning.
/// </para>
/// </remarks>
public sealed partial class FailedOrchestrations(
    DurableTaskClient client,
    ReferralWorkflowStore store,
    IOptionsMonitor<LifecycleSettings> lifecycle,
    ILogger<FailedOrchestrations> logger)
{
    /// <summary>Starts again every failed referral orchestration; how many were started.</summary>
    public async Task<int> RestartAllAsync(CancellationToken cancellationToken = default)
    {
        var restarted = 0;
        var failed = new OrchestrationQuery { Statuses = [OrchestrationRuntimeStatus.Failed], FetchInputsAndOutputs = true };
        await foreach (var instance in client.GetAllInstancesAsync(failed).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                if (await RestartAsync(instance, cancellationToken).ConfigureAwait(false))
                {
                    restarted++;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One referral's failure to start does not keep the others back; the next sweep tries again.
                LogRestartFailed(logger, instance.InstanceId, ex.GetType().Name);
            }
        }

        return restarted;
    }

    /// <summary>Starts the referral's orchestration again if it failed; true when it did.</summary>
    public async Task<bool> RestartIfFailedAsync(string reference, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(reference);
        var instance = await client.GetInstanceAsync(reference, getInputsAndOutputs: true, cancellationToken).ConfigureAwait(false);
        return instance is { RuntimeStatus: OrchestrationRuntimeStatus.Failed } && await RestartAsync(instance, cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> RestartAsync(OrchestrationMetadata instance, CancellationToken cancellationToken)
    {
        if (!string.Equals(instance.Name, ReferralActivityNames.Orchestrator, StringComparison.Ordinal))
        {
            return false;
        }

        var reference = instance.InstanceId;
        var run = await RunToStartAsync(reference, InputOf(instance), cancellationToken).ConfigureAwait(false);
        if (run is null)
        {
            LogNothingToRestart(logger, reference);
            return false;
        }

        try
        {
            // The backend takes a new instance under the id of one that failed.
            await client.ScheduleNewOrchestrationInstanceAsync(ReferralActivityNames.Orchestrator, run, new StartOrchestrationOptions(reference), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Another host (or a command) may have started it first; then it is no longer failed.
            if (await client.GetInstanceAsync(reference, cancellationToken).ConfigureAwait(false) is null or { RuntimeStatus: OrchestrationRuntimeStatus.Failed })
            {
                throw;
            }

            return false;
        }

        LogRestarted(logger, reference, run.Resume ? "the stored state" : "its own input", run.Version);
        return true;
    }

    /// <summary>
    /// What the new run starts from. The failed run's input when it is as far on as the store (it
    /// keeps the follow-ups, effects and answer that generation had still to do), or when nothing is
    /// stored yet (the first generation, whose first step is the form's arrival). Otherwise the
    /// stored state, resuming: the input is an older generation's (the stale start's), or cannot be
    /// read, and the run first takes the store's last step again.
    /// </summary>
    private async Task<ReferralRun?> RunToStartAsync(string reference, ReferralRun? input, CancellationToken cancellationToken)
    {
        var stored = await store.LoadAsync(reference, cancellationToken).ConfigureAwait(false);
        if (stored is null || input?.Version == stored.Version)
        {
            return input;
        }

        return new ReferralRun(reference, stored.State, stored.Version, input?.Settings ?? lifecycle.CurrentValue, [], [], null, input?.RecentCommandIds ?? [], Resume: true);
    }

    /// <summary>The failed run's input, when it is this referral's run and can be read; null otherwise.</summary>
    private static ReferralRun? InputOf(OrchestrationMetadata instance)
    {
        try
        {
            var run = instance.ReadInputAs<ReferralRun>();
            return run is { State: not null, Settings: not null } && string.Equals(run.Reference, instance.InstanceId, StringComparison.Ordinal) ? run : null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The orchestration of {Reference} had failed: started again from {From}, at version {Version}")]
    private static partial void LogRestarted(ILogger logger, string reference, string from, long version);

    [LoggerMessage(Level = LogLevel.Error, Message = "The orchestration of {Reference} failed, and starting it again failed too ({Error}); the next sweep tries again")]
    private static partial void LogRestartFailed(ILogger logger, string reference, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "The orchestration of {Reference} failed, and neither its input nor a stored record can start it again")]
    private static partial void LogNothingToRestart(ILogger logger, string reference);
}
