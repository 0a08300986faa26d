using System.Globalization;
using HandInHand.Infrastructure.Orchestration;

namespace HandInHand.Host.Functions;

/// <summary>The recovery timer: starts again every referral orchestration that failed.</summary>
public sealed class RecoveryRunJob(FailedOrchestrations failed) : IScheduledJob
{
    public async Task<ScheduledJobOutcome> RunAsync(CancellationToken cancellationToken = default)
    {
        var restarted = await failed.RestartAllAsync(cancellationToken);
        return new ScheduledJobOutcome(
            string.Create(CultureInfo.InvariantCulture, $"Recovery: {restarted} failed orchestrations started again"),
            restarted);
    }
}
