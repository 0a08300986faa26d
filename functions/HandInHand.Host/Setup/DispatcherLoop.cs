using HandInHand.Infrastructure.Workflow;
using Microsoft.Extensions.Options;

namespace HandInHand.Host.Setup;

/// <summary>
/// The standalone host's dispatcher: a tick every interval. Under the Functions host a timer
/// trigger calls the same tick instead, and this loop is switched off (Workflow:DispatcherEnabled).
/// </summary>
public sealed partial class DispatcherLoop(Dispatcher dispatcher, IOptions<WorkflowOptions> options, ILogger<DispatcherLoop> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.DispatcherEnabled)
        {
            return;
        }

        // Real time, not the workflow's clock: this is how often to look, not what time it is.
        using var timer = new PeriodicTimer(options.Value.DispatcherInterval);
        do
        {
            try
            {
                await dispatcher.TickAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogTickFailed(logger, ex.GetType().Name);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A dispatcher tick failed ({Error}); the next tick tries again")]
    private static partial void LogTickFailed(ILogger logger, string error);
}
