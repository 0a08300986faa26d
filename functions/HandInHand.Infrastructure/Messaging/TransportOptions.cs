namespace HandInHand.Infrastructure.Messaging;

/// <summary>Where lifecycle integration events go.</summary>
public enum IntegrationEventTransport
{
    /// <summary>Nowhere: partner systems are not told.</summary>
    None,

    /// <summary>Published to the Service Bus topic, for partner systems' subscriptions.</summary>
    ServiceBus,
}

/// <summary>
/// The transport switch: configuration, not code, decides whether lifecycle events go to Service Bus.
/// Notifications have no switch: the orchestration's Notify activity always hands them to the email
/// channel in process, since the Functions app has no Service Bus trigger that would read a queue of them.
/// </summary>
public sealed class TransportOptions
{
    public const string SectionName = "Transport";

    public IntegrationEventTransport IntegrationEvents { get; set; } = IntegrationEventTransport.None;
}
