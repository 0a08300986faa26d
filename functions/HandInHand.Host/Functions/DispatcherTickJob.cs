using System.Globalization;
using HandInHand.Infrastructure.Workflow;

namespace HandInHand.Host.Functions;

/// <summary>The <see cref="FunctionNames.DispatcherTick"/> timer's job: one dispatcher tick, as the standalone loop would do.</summary>
public sealed class DispatcherTickJob(Dispatcher dispatcher) : IScheduledJob
{
    public async Task<ScheduledJobOutcome> RunAsync(CancellationToken cancellationToken = default)
    {
        var report = await dispatcher.TickAsync(cancellationToken);
        return new ScheduledJobOutcome(
            string.Create(CultureInfo.InvariantCulture, $"Dispatcher tick: {report.Due} due, {report.Fired} fired, {report.Drained} drained, {report.Stale} stale, {report.Skipped} skipped, {report.Failed} failed"),
            report);
    }
}
