using System.Globalization;
using HandInHand.Infrastructure.Messaging;

namespace HandInHand.Host.Functions;

/// <summary>
/// The <see cref="FunctionNames.DrainDeadLetters"/> timer's job: one run of <see cref="DeadLetterDrain"/>.
/// The drain is registered only when <c>Transport:Notifications</c> is <c>ServiceBus</c> (there is no
/// queue to drain otherwise, and no namespace to reach); without it the job does nothing and says so.
/// </summary>
public sealed partial class DrainDeadLettersJob(ILogger<DrainDeadLettersJob> logger, DeadLetterDrain? drain = null) : IScheduledJob
{
    public const string NotTheTransport = "Dead letters: Service Bus is not the notifications transport; nothing to drain";

    public async Task<ScheduledJobOutcome> RunAsync(CancellationToken cancellationToken = default)
    {
        if (drain is null)
        {
            LogNotTheTransport(logger);
            return new ScheduledJobOutcome(NotTheTransport, null);
        }

        var report = await drain.RunAsync(cancellationToken);
        return new ScheduledJobOutcome(
            string.Create(CultureInfo.InvariantCulture, $"Dead letters: {report.Recorded} recorded ({report.Unreadable} unreadable), {report.Failed} failed, {report.Batches} batches{(report.StoppedAtBound ? ", stopped at the bound" : string.Empty)}"),
            report);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "The dead-letter drain does nothing: Service Bus is not the notifications transport.")]
    private static partial void LogNotTheTransport(ILogger logger);
}
