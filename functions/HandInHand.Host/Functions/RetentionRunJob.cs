using System.Globalization;
using HandInHand.Infrastructure.Retention;

namespace HandInHand.Host.Functions;

/// <summary>The daily retention timer: checks the review queue and finishes any erasure left half done.</summary>
public sealed class RetentionRunJob(RetentionService retention) : IScheduledJob
{
    public async Task<ScheduledJobOutcome> RunAsync(CancellationToken cancellationToken = default)
    {
        var sweep = await retention.RunAsync(cancellationToken);
        return new ScheduledJobOutcome(
            string.Create(CultureInfo.InvariantCulture, $"Retention: {sweep.Waiting} waiting for review, {sweep.ErasuresFinished} erasures finished, {sweep.Removed} removed from the queue, {sweep.OrchestrationsPurged} ended orchestrations purged, {sweep.BoardTombstonesSwept} case board tombstones swept"),
            sweep);
    }
}
