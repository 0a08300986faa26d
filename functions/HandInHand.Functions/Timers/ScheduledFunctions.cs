using HandInHand.Functions.Hosting;
using HandInHand.Host.Functions;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace HandInHand.Functions.Timers;

/// <summary>
/// The timers, each running the <see cref="IScheduledJob"/> the app registers under its name: the
/// same jobs as before, on the schedules the custom handler's function folders had (UTC, as
/// timers on Linux are).
/// </summary>
public sealed partial class ScheduledFunctions(ApplicationPipeline pipeline, ILogger<ScheduledFunctions> logger)
{
    /// <summary>Every quarter hour; the job itself sends only within its window after <c>Digests:SendAt</c> local time.</summary>
    public const string DigestSchedule = "0 */15 * * * *";

    /// <summary>Daily at 02:00 UTC.</summary>
    public const string RetentionSchedule = "0 0 2 * * *";

    /// <summary>Every five minutes.</summary>
    public const string RecoverySchedule = "0 */5 * * * *";

    [Function(FunctionNames.DigestRun)]
    public Task DigestRun([TimerTrigger(DigestSchedule)] TimerInfo timer, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        RunAsync(FunctionNames.DigestRun, client, cancellationToken);

    [Function(FunctionNames.RetentionRun)]
    public Task RetentionRun([TimerTrigger(RetentionSchedule)] TimerInfo timer, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        RunAsync(FunctionNames.RetentionRun, client, cancellationToken);

    [Function(FunctionNames.RecoveryRun)]
    public Task RecoveryRun([TimerTrigger(RecoverySchedule)] TimerInfo timer, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        RunAsync(FunctionNames.RecoveryRun, client, cancellationToken);

    /// <summary>
    /// Runs the job registered under <paramref name="functionName"/> and logs its one-line summary
    /// (counts and times only). A failure propagates: the host records the run as failed, and the
    /// next run tries again. A timer with no job fails loudly rather than succeeding silently.
    /// </summary>
    /// <remarks>
    /// The invocation lends its durable client first, as an HTTP invocation does: the retention
    /// run purges ended orchestrations through it, and a timer may be the first invocation after
    /// the worker started.
    /// </remarks>
    public async Task<ScheduledJobOutcome> RunAsync(string functionName, DurableTaskClient client, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        pipeline.Client.Lend(client);
        var job = pipeline.Services.GetKeyedService<IScheduledJob>(functionName)
            ?? throw new InvalidOperationException($"{functionName}: no job is registered for this timer.");
        var outcome = await job.RunAsync(cancellationToken).ConfigureAwait(false);
        LogRan(logger, functionName, outcome.Summary);
        return outcome;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Function}: {Summary}")]
    private static partial void LogRan(ILogger logger, string function, string summary);
}
