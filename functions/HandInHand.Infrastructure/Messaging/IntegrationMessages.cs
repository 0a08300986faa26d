using System.Text.Json;
using System.Text.Json.Serialization;
using HandInHand.Domain.Lifecycle;
using Azure.Messaging.ServiceBus;
using HandInHand.Infrastructure.Workflow;

namespace HandInHand.Infrastructure.Messaging;

/// <summary>
/// The bodies HandInHand puts on Service Bus: JSON with ids, names and UTC times only. The broker
/// keeps a message until it is received or expires, and a dead-lettered copy until someone removes
/// it, so nothing about a young person, a referrer or a member of staff (beyond a staff id) ever
/// travels: the email sender looks the address up when it sends.
/// </summary>
public static class IntegrationMessages
{
    public const string JsonContentType = "application/json";

    /// <summary>The Subject (AMQP subject, formerly Label) of a stage-change event; partner subscriptions can filter on it and on the <c>stage</c> property.</summary>
    public const string StageChangedSubject = "StageChanged";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>A notification for the email sender; its MessageId is the notification's, so a re-sent one is dropped as a duplicate.</summary>
    public static ServiceBusMessage Notification(DeliveredNotification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        return new ServiceBusMessage(BinaryData.FromString(JsonSerializer.Serialize(notification, Json)))
        {
            MessageId = notification.MessageId,
            ContentType = JsonContentType,
            Subject = notification.Kind.ToString(),
            CorrelationId = notification.Reference,
        };
    }

    /// <summary>Reads a notification message's body.</summary>
    /// <exception cref="InvalidDataException">The body is not a notification.</exception>
    public static DeliveredNotification ReadNotification(string body)
    {
        try
        {
            var notification = JsonSerializer.Deserialize<DeliveredNotification>(body, Json);
            if (notification is null || string.IsNullOrEmpty(notification.MessageId) || string.IsNullOrEmpty(notification.Reference))
            {
                throw new InvalidDataException("The message is not a notification: it has no message id or reference.");
            }

            return notification;
        }
        catch (JsonException ex)
        {
            // The exception text would quote the body; say only where it failed.
            throw new InvalidDataException($"The message is not a notification (invalid JSON at {ex.Path ?? "$"}).");
        }
    }

    /// <summary>
    /// What is recorded of a dead-lettered message from <paramref name="entity"/>: its id, the referral
    /// and notification kind when its body is one of our notifications, the broker's reason and
    /// description, its delivery count and first enqueue time. A body that cannot be read (not a
    /// notification, not JSON, or not even a data body) leaves the reference and kind empty and is
    /// never quoted: the message is still recorded by its id. A message without a MessageId is
    /// recorded by its sequence number, which the broker makes unique within the entity.
    /// </summary>
    public static DeadLetter ReadDeadLetter(ServiceBusReceivedMessage message, string entity, DateTimeOffset recordedAt)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentException.ThrowIfNullOrEmpty(entity);
        var notification = TryReadNotification(message);
        var reason = message.DeadLetterReason;
        var description = message.DeadLetterErrorDescription;
        return new DeadLetter(
            entity,
            string.IsNullOrEmpty(message.MessageId) ? SequenceId(message.SequenceNumber) : message.MessageId,
            notification?.Reference,
            notification?.Kind.ToString(),
            description is null ? reason : $"{reason}: {description}",
            message.DeliveryCount,
            message.EnqueuedTime == default ? null : message.EnqueuedTime.ToUniversalTime(),
            recordedAt);
    }

    private static string SequenceId(long sequenceNumber) => "sequence-" + sequenceNumber.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static DeliveredNotification? TryReadNotification(ServiceBusReceivedMessage message)
    {
        try
        {
            return ReadNotification(message.Body.ToString());
        }
        catch (InvalidDataException)
        {
            return null;
        }
        catch (NotSupportedException)
        {
            // An AMQP value or sequence body: Body refuses it; it was never one of ours.
            return null;
        }
    }

    /// <summary>A stage-change event for the topic.</summary>
    public static ServiceBusMessage StageChanged(StageChanged change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var message = new ServiceBusMessage(BinaryData.FromString(JsonSerializer.Serialize(new StageChangedBody(change.Reference, change.From, change.To, change.At.ToUniversalTime()), Json)))
        {
            MessageId = change.MessageId,
            ContentType = JsonContentType,
            Subject = StageChangedSubject,
            CorrelationId = change.Reference,
        };
        message.ApplicationProperties["stage"] = change.To.ToString();
        return message;
    }

    /// <summary>The published body of a stage change: exactly these four fields.</summary>
    public sealed record StageChangedBody(string Reference, Stage From, Stage To, DateTimeOffset At);
}
