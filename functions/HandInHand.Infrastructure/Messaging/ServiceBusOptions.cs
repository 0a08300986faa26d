namespace HandInHand.Infrastructure.Messaging;

/// <summary>
/// The Service Bus namespace and the lifecycle-events topic, reached with Azure.Messaging.ServiceBus
/// (AMQP). In Azure the app authenticates with its managed identity (<see cref="FullyQualifiedNamespace"/>);
/// a <see cref="ConnectionString"/> is for other set-ups. Duplicate detection is a property of the
/// topic (the template sets one day), keyed on each message's MessageId.
/// </summary>
public sealed class ServiceBusOptions
{
    public const string SectionName = "ServiceBus";

    /// <summary>e.g. <c>https://handinhand-prod.servicebus.windows.net</c>; used with Entra ID (role: Data Sender).</summary>
    public Uri? FullyQualifiedNamespace { get; set; }

    /// <summary>A SAS connection string (Send rights); used when set, instead of the managed identity.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The topic for lifecycle integration events.</summary>
    public string EventsTopic { get; set; } = "lifecycle-events";
}
