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
