using System.Security.Cryptography;
using System.Text;
using HandInHand.Domain.Lifecycle;
using HandInHand.Infrastructure.Workflow;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace HandInHand.Infrastructure.Orchestration;

/// <summary>The outcome of a command: the referral as it stands once the command (and what it set off) was done.</summary>
/// <param name="Changed">False when the command changed nothing (it was applied before, or there was nothing to do).</param>
public sealed record WorkflowOutcome(string Reference, ReferralState State, long Version, bool Changed);

/// <summary>
/// The one way into a referral's lifecycle, for pages, API, surveys and intake alike: a command is
/// raised as an event on the referral's orchestration with a command id, and the caller waits,
/// up to <see cref="OrchestrationOptions.CommandWait"/>, for the outcome recorded under that id.
/// It speaks only <see cref="DurableTaskClient"/>, so it runs unchanged under the Functions app.
/// </summary>
public sealed class ReferralCommands(
    DurableTaskClient client,
    ReferralWorkflowStore store,
    CommandOutcomes outcomes,
    FinishedOrchestrations finished,
    FailedOrchestrations failed,
    AllocationService allocation,
    IOptions<OrchestrationOptions> options,
    IOptionsMonitor<LifecycleSettings> lifecycle)
{
    /// <summary>
    /// Sends a staff member's allocation (the manager's, or the panel's to a strand). Their choice
    /// may exceed the practitioner's capacity, so the place is taken first, and given back if the
    /// allocation is refused.
    /// </summary>
    /// <exception cref="CommandRejectedException">The allocation does not fit, or there is no such practitioner; nothing changed.</exception>
    /// <exception cref="ReferralNotFoundException">No such referral.</exception>
    /// <exception cref="CommandPendingException">The command is queued; its outcome did not come in time.</exception>
    public async Task<WorkflowOutcome> AllocateByHandAsync(string reference, ReferralCommand.Allocate command, string? commandKey = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        await allocation.ReserveForManualAllocationAsync(command.PractitionerId, reference, cancellationToken).ConfigureAwait(false);
        try
        {
            return await SendAsync(reference, command, commandKey, cancellationToken).ConfigureAwait(false);
        }
        catch (CommandRejectedException)
        {
            await allocation.ReleaseUnlessHeldAsync(command.PractitionerId, reference, cancellationToken).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Sends <paramref name="command"/>. A client's <paramref name="commandKey"/> makes a retried command return the first outcome.</summary>
    /// <exception cref="CommandRejectedException">The command does not fit; nothing changed.</exception>
    /// <exception cref="ReferralNotFoundException">No such referral.</exception>
    /// <exception cref="CommandPendingException">The command is queued; its outcome did not come in time.</exception>
    public async Task<WorkflowOutcome> SendAsync(string reference, ReferralCommand command, string? commandKey = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(reference);
        ArgumentNullException.ThrowIfNull(command);
        var commandId = commandKey is null ? Guid.NewGuid().ToString("N") : CommandIdOf(commandKey);

        // Only a client's key can have been used before; a fresh id has no outcome to find.
        var outcome = commandKey is null ? null : await outcomes.FindAsync(reference, commandId, cancellationToken).ConfigureAwait(false);
        if (outcome is null)
        {
            var stored = await store.LoadAsync(reference, cancellationToken).ConfigureAwait(false);
            if (stored is null && await client.GetInstanceAsync(reference, cancellationToken).ConfigureAwait(false) is null)
            {
                throw new ReferralNotFoundException();
            }

            if (stored?.State.ErasedAt is not null)
            {
                return AfterErasure(reference, stored, command);
            }

            var envelope = new CommandEnvelope(commandId, command, Answer: true);
            await client.RaiseEventAsync(reference, ReferralOrchestrator.CommandEvent, envelope, cancellationToken).ConfigureAwait(false);
            outcome = await outcomes.WaitAsync(reference, commandId, options.Value.CommandWait, cancellationToken).ConfigureAwait(false);
            if (outcome is null && await failed.RestartIfFailedAsync(reference, cancellationToken).ConfigureAwait(false))
            {
                // The orchestration had failed, and a failed one drops what is raised on it: the
                // command goes again to the run started in its place (a run that took it already
                // knows its id and does not take it twice).
                await client.RaiseEventAsync(reference, ReferralOrchestrator.CommandEvent, envelope, cancellationToken).ConfigureAwait(false);
                outcome = await outcomes.WaitAsync(reference, commandId, options.Value.CommandWait, cancellationToken).ConfigureAwait(false);
            }

            if (outcome is null)
            {
                throw new CommandPendingException(reference, commandId);
            }
        }

        var result = await ToResultAsync(outcome, cancellationToken).ConfigureAwait(false);
        if (result.Changed && result.State.ErasedAt is not null)
        {
            // The erasure ends the orchestration a moment after its outcome: purge its records now
            // (the retention run's sweep catches one that ends later than this wait).
            await finished.PurgeWhenEndedAsync(reference, options.Value.CommandWait, cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>
    /// A command on an erased record, whose orchestration has ended (or is ending): decided here,
    /// with the same decider, against the stored state. A refusal is the decider's; a command that
    /// would change something is refused, since an erased record takes no further step.
    /// </summary>
    private WorkflowOutcome AfterErasure(string reference, LoadedReferral stored, ReferralCommand command)
    {
        var events = new ReferralDecider(lifecycle.CurrentValue).Decide(command, stored.State);
        return events.Count == 0
            ? new WorkflowOutcome(reference, stored.State, stored.Version, Changed: false)
            : throw new CommandRejectedException(RejectionKind.WrongStep, $"{command.GetType().Name} does not fit a referral at step {stored.State.Stage}: the record was erased.");
    }

    /// <summary>The outcome of a command sent earlier, once there is one; null while it is still queued.</summary>
    /// <exception cref="CommandRejectedException">The command was refused.</exception>
    public async Task<WorkflowOutcome?> FindAsync(string reference, string commandId, CancellationToken cancellationToken = default)
    {
        var outcome = await outcomes.FindAsync(reference, commandId, cancellationToken).ConfigureAwait(false);
        return outcome is null ? null : await ToResultAsync(outcome, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts a new referral's orchestration with its first command, unless it has one already (a
    /// retried submission). It returns once the start is queued: the first step follows within
    /// moments, and nothing waits for it, so intake answers at the pace of two writes.
    /// </summary>
    public async Task StartAsync(ReferralCommand.Receive receive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(receive);
        if (await client.GetInstanceAsync(receive.Reference, cancellationToken).ConfigureAwait(false) is not null)
        {
            return;
        }

        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(
                ReferralActivityNames.Orchestrator,
                ReferralRun.Start(receive, lifecycle.CurrentValue),
                new StartOrchestrationOptions(receive.Reference),
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A concurrent retry of the same submission may have scheduled it first (each
            // client says so with its own exception); anything else is a failure.
            if (await client.GetInstanceAsync(receive.Reference, cancellationToken).ConfigureAwait(false) is null)
            {
                throw;
            }
        }
    }

    /// <summary>Whether the referral's orchestration was started (it may not have taken its first step yet).</summary>
    public async Task<bool> IsStartedAsync(string reference, CancellationToken cancellationToken = default) =>
        await client.GetInstanceAsync(reference, cancellationToken).ConfigureAwait(false) is not null;

    /// <summary>The command id a client's idempotency key stands for: its hash, so the key itself is never stored.</summary>
    public static string CommandIdOf(string commandKey) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(commandKey)));

    private async Task<WorkflowOutcome> ToResultAsync(CommandOutcome outcome, CancellationToken cancellationToken)
    {
        if (outcome.Refusal is not null)
        {
            throw outcome.ToException();
        }

        var loaded = await store.LoadAsync(outcome.Reference, cancellationToken).ConfigureAwait(false)
            ?? throw new ReferralNotFoundException();
        return new WorkflowOutcome(outcome.Reference, loaded.State, loaded.Version, outcome.Changed);
    }
}
