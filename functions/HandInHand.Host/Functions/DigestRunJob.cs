using System.Globalization;
using HandInHand.Infrastructure.Notifications;
using Microsoft.Extensions.Options;

namespace HandInHand.Host.Functions;

/// <summary>
/// The <see cref="FunctionNames.DigestRun"/> timer's job. The timer fires every 15 minutes (UTC, as
/// timers on Linux are); the job sends today's digests only from <c>Digests:SendAt</c> local time
/// until <see cref="CatchUpWindow"/> later, so summer time needs no second schedule, and the open
/// referrals are not re-read all day. Within the window a repeated run is harmless (each recipient
/// gets at most one digest a day); if the app could not run during the whole window, that day's
/// digests are skipped rather than sent in the afternoon.
/// </summary>
public sealed class DigestRunJob(DigestJob job, IOptions<DigestOptions> options, TimeProvider clock) : IScheduledJob
{
    public static readonly TimeSpan CatchUpWindow = TimeSpan.FromHours(3);

    public async Task<ScheduledJobOutcome> RunAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var local = TimeZoneInfo.ConvertTime(now, job.TimeZone);
        var since = local.TimeOfDay - options.Value.SendAt.ToTimeSpan();
        if (since < TimeSpan.Zero || since >= CatchUpWindow)
        {
            return new ScheduledJobOutcome(string.Create(CultureInfo.InvariantCulture, $"Digests: not the time to send ({local:HH:mm} local)"), null);
        }

        var report = await job.RunAsync(now, cancellationToken);
        return new ScheduledJobOutcome(
            string.Create(CultureInfo.InvariantCulture, $"Digests for {report.Date:yyyy-MM-dd}: {report.Sent} sent, {report.NothingToSay} with nothing to say, {report.AlreadyDone} already done, {report.NoAddress} without address, {report.Deferred} deferred, {report.Failed} failed, {report.Unknown} unknown"),
            report);
    }
}
