using Microsoft.DurableTask.Client;

namespace HandInHand.Infrastructure.Orchestration;

/// <summary>
/// Purges the task hub's records of orchestrations that ended. A referral's orchestration ends
/// only when its record was erased (<see cref="ReferralRun.IsFinished"/>), and erasure must reach
/// the task hub too: its history table keeps rows of earlier generations (a shorter generation
/// overwrites only the rows it needs), and those hold the referral's state as it was, encrypted
/// with the shared field key, which an erasure does not destroy. A purge removes the instance's
/// row, every history row and any large-payload blob. Only completed orchestrations are purged:
/// a failed one is kept, to be looked at and rewound.
/// </summary>
public sealed class FinishedOrchestrations(DurableTaskClient client)
{
    /// <summary>How often <see cref="PurgeWhenEndedAsync"/> looks whether the orchestration has ended.</summary>
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Purges the referral's orchestration once it has completed, waiting at most
    /// <paramref name="wait"/> for that (an erasure's outcome is recorded a moment before its
    /// orchestration ends). True when purged, or nothing was left; false when it had not ended in
    /// time, which leaves it to <see cref="PurgeAllAsync"/>.
    /// </summary>
    public async Task<bool> PurgeWhenEndedAsync(string reference, TimeSpan wait, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(reference);
        // Real time throughout: this bounds how long a request waits, it does not say what time it is.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var instance = await client.GetInstanceAsync(reference, cancellationToken).ConfigureAwait(false);
            if (instance is null)
            {
                return true;
            }

            if (instance.RuntimeStatus == OrchestrationRuntimeStatus.Completed)
            {
                await client.PurgeInstanceAsync(reference, cancellation: cancellationToken).ConfigureAwait(false);
                return true;
            }

            if (waited.Elapsed >= wait)
            {
                return false;
            }

            await Task.Delay(Poll, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Purges every completed orchestration (the retention run's sweep); how many were purged.</summary>
    public async Task<int> PurgeAllAsync(CancellationToken cancellationToken = default)
    {
        var result = await client.PurgeAllInstancesAsync(
            new PurgeInstancesFilter(CreatedFrom: null, CreatedTo: null, Statuses: [OrchestrationRuntimeStatus.Completed]),
            cancellation: cancellationToken).ConfigureAwait(false);
        return result.PurgedInstanceCount;
    }
}
