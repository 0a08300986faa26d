using HandInHand.Infrastructure.Notifications;
using Microsoft.Extensions.Options;

namespace HandInHand.Host.Setup;

/// <summary>
/// The standalone host's digest sender: every <c>Digests:CheckInterval</c> (real time) it looks
/// whether today's local time has passed <c>Digests:SendAt</c> and, if so, runs the job. What day
/// and time it is comes from the injected clock. The job's insert-once rows make a repeated run
/// harmless; the loop also remembers a day it has finished, so that it does not re-read every open
/// referral each minute. Under the Functions host the <c>DigestRun</c> timer function runs the job
/// instead, and this loop is not registered (<see cref="BackgroundWork"/>).
/// </summary>
public sealed partial class DigestLoop(DigestJob job, IOptions<DigestOptions> options, TimeProvider clock, ILogger<DigestLoop> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }

        DateOnly? finished = null;

        // Real time, not the injected clock: this is how often to look, not what time it is.
        using var timer = new PeriodicTimer(settings.CheckInterval);
        do
        {
            var now = clock.GetUtcNow();
            var local = TimeZoneInfo.ConvertTime(now, job.TimeZone).DateTime;
            var today = DateOnly.FromDateTime(local);
            if (today != finished && TimeOnly.FromDateTime(local) >= settings.SendAt)
            {
                try
                {
                    if ((await job.RunAsync(now, stoppingToken)).Complete)
                    {
                        finished = today;
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogRunFailed(logger, ex.GetType().Name);
                }
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The digest run failed ({Error}); the loop tries again")]
    private static partial void LogRunFailed(ILogger logger, string error);
}
