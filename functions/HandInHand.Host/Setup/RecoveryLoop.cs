using HandInHand.Infrastructure.Orchestration;
using Microsoft.Extensions.Options;

namespace HandInHand.Host.Setup;

/// <summary>
/// The local host's sweep for failed orchestrations: every <c>Orchestration:RecoveryInterval</c>
/// (real time) it starts again each referral orchestration that failed. A process that runs no
/// worker leaves it to the one that does. Under the Functions host the <c>RecoveryRun</c> timer
/// function runs the same sweep instead, and this loop is not registered (<see cref="BackgroundWork"/>).
/// </summary>
public sealed partial class RecoveryLoop(FailedOrchestrations failed, IOptions<OrchestrationOptions> options, ILogger<RecoveryLoop> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.WorkerEnabled)
        {
            return;
        }

        // Real time, not the injected clock: this is how often to look, not what time it is.
        using var timer = new PeriodicTimer(settings.RecoveryInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await failed.RestartAllAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogSweepFailed(logger, ex.GetType().Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The sweep for failed orchestrations failed ({Error}); the loop tries again")]
    private static partial void LogSweepFailed(ILogger logger, string error);
}
