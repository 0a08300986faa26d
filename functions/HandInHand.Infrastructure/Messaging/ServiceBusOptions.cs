namespace HandInHand.Infrastructure.Messaging;

/// <summary>
/// The Service Bus namespace and entities. In Azure the app authenticates with its managed identity
/// (<see cref="FullyQualifiedNamespace"/>); a SAS <see cref="ConnectionString"/> is for other set-ups.
/// </summary>
public sealed class ServiceBusOptions
{
    public const string SectionName = "ServiceBus";

    /// <summary>e.g. <c>https://handinhand-prod.servicebus.windows.net</c>; used with Entra ID (roles: Data Sender).</summary>
    public Uri? FullyQualifiedNamespace { get; set; }

    /// <summary>A SAS connection string (Send right); used when set, instead of the managed identity.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The queue that feeds the email sender.</summary>
    public string NotificationsQueue { get; set; } = "notifications";

    /// <summary>The topic for lifecycle integration events.</summary>
    public string EventsTopic { get; set; } = "lifecycle-events";

    /// <summary>The entities' duplicate-detection window (the template sets 1 day on both).</summary>
    public TimeSpan DuplicateDetectionWindow { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Where requests go instead of the namespace: a loopback test peer only (plain http is refused elsewhere).</summary>
    public Uri? CustomEndpoint { get; set; }
}
