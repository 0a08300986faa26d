namespace HandInHand.Infrastructure.Messaging;

/// <summary>How notifications leave a committed step.</summary>
public enum NotificationTransport
{
    /// <summary>The outbox hands each notification straight to the email channel in this process (local runs, tests).</summary>
    InProcess,

    /// <summary>The outbox enqueues each notification on the Service Bus queue; the <c>SendNotificationEmail</c> function sends the email.</summary>
    ServiceBus,
}

/// <summary>Where lifecycle integration events go.</summary>
public enum IntegrationEventTransport
{
    /// <summary>Nowhere: partner systems are not told.</summary>
    None,

    /// <summary>Published to the Service Bus topic, for partner systems' subscriptions.</summary>
    ServiceBus,
}

/// <summary>The transport switch: configuration, not code, decides between in-process and Service Bus.</summary>
public sealed class TransportOptions
{
    public const string SectionName = "Transport";

    public NotificationTransport Notifications { get; set; } = NotificationTransport.InProcess;

    public IntegrationEventTransport IntegrationEvents { get; set; } = IntegrationEventTransport.None;
}
