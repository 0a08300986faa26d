using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HandInHand.Infrastructure.Messaging;

/// <summary>
/// Moves the notifications queue's dead letters into <see cref="DeadLetterLog"/>, where the manager
/// sees them. Each message is received from the dead-letter subqueue under a lock (PeekLock), recorded,
/// and only then completed, so a dead letter leaves the queue only once it is on record. Recording is
/// idempotent by message id: a crash or a lost lock between the record and the completion brings the
/// message back on a later run, and recording it again changes nothing. A run receives at most
/// <see cref="ServiceBusOptions.DeadLetterMaxBatches"/> batches and stops at the first empty one.
/// </summary>
public sealed partial class DeadLetterDrain(ServiceBusClient client, DeadLetterLog log, IOptions<ServiceBusOptions> options, TimeProvider clock, ILogger<DeadLetterDrain> logger)
{
    public async Task<DeadLetterDrainReport> RunAsync(CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        var queue = settings.NotificationsQueue;
        var receiver = client.CreateReceiver(queue, new ServiceBusReceiverOptions
        {
            SubQueue = SubQueue.DeadLetter,
            ReceiveMode = ServiceBusReceiveMode.PeekLock,
        });
        await using (receiver.ConfigureAwait(false))
        {
            int batches = 0, recorded = 0, unreadable = 0, failed = 0;
            while (batches < settings.DeadLetterMaxBatches)
            {
                var batch = await receiver.ReceiveMessagesAsync(settings.DeadLetterBatchSize, settings.DeadLetterReceiveWait, cancellationToken).ConfigureAwait(false);
                if (batch.Count == 0)
                {
                    return new DeadLetterDrainReport(batches, recorded, unreadable, failed, StoppedAtBound: false);
                }

                batches++;
                var batchFailed = false;
                foreach (var message in batch)
                {
                    if (batchFailed)
                    {
                        // Storage or the broker failed on an earlier message: hand the rest back now
                        // rather than wait for each to fail the same way; the next run takes them.
                        await AbandonAsync(receiver, message, cancellationToken).ConfigureAwait(false);
                        failed++;
                        continue;
                    }

                    var letter = IntegrationMessages.ReadDeadLetter(message, queue, clock.GetUtcNow());
                    try
                    {
                        await log.RecordAsync(letter, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        LogNotRecorded(logger, letter.MessageId, ex.GetType().Name);
                        await AbandonAsync(receiver, message, cancellationToken).ConfigureAwait(false);
                        batchFailed = true;
                        failed++;
                        continue;
                    }

                    try
                    {
                        await receiver.CompleteMessageAsync(message, cancellationToken).ConfigureAwait(false);
                    }
                    catch (ServiceBusException ex)
                    {
                        // Recorded but still on the queue (the lock was lost, or the broker did not
                        // answer): a later run receives it again, and recording it again changes nothing.
                        LogNotCompleted(logger, letter.MessageId, ex.Reason.ToString());
                        batchFailed = true;
                        failed++;
                        continue;
                    }

                    recorded++;
                    // Only a body read as one of our notifications gives a kind.
                    if (letter.Kind is null)
                    {
                        unreadable++;
                    }
                }

                if (batchFailed)
                {
                    return new DeadLetterDrainReport(batches, recorded, unreadable, failed, StoppedAtBound: false);
                }
            }

            return new DeadLetterDrainReport(batches, recorded, unreadable, failed, StoppedAtBound: true);
        }
    }

    /// <summary>Hands a message back at once (otherwise its lock would keep it until it expires); if even that fails, the lock's expiry does it.</summary>
    private async Task AbandonAsync(ServiceBusReceiver receiver, ServiceBusReceivedMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await receiver.AbandonMessageAsync(message, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (ServiceBusException ex)
        {
            LogNotAbandoned(logger, ex.Reason.ToString());
        }
    }

    // Message ids are our notification ids (a reference and counters) or the broker's: never content.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Dead letter {MessageId} could not be recorded ({Error}); it stays on the dead-letter queue for the next run")]
    private static partial void LogNotRecorded(ILogger logger, string messageId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dead letter {MessageId} was recorded but not completed ({Reason}); a later run records it again, harmlessly")]
    private static partial void LogNotCompleted(ILogger logger, string messageId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A dead letter could not be handed back ({Reason}); its lock expires on its own")]
    private static partial void LogNotAbandoned(ILogger logger, string reason);
}
