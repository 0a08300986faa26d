using System.Text.Json;
using System.Text.Json.Serialization;
using HandInHand.Domain.Lifecycle;
using Azure.Messaging.ServiceBus;
using HandInHand.Infrastructure.Workflow;

namespace HandInHand.Infrastructure.Messaging;

/// <summary>
/// The bodies HandInHand puts on Service Bus: JSON with ids, names and UTC times only. The broker
/// keeps a message until each subscription has received it or it expires, so nothing about a young
/// person, a referrer or a member of staff ever travels.
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
