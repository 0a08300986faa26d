namespace HandInHand.Infrastructure.Messaging;

/// <summary>
/// The Service Bus namespace and entities, reached with Azure.Messaging.ServiceBus (AMQP). In Azure the
/// app authenticates with its managed identity (<see cref="FullyQualifiedNamespace"/>); a
/// <see cref="ConnectionString"/> is for other set-ups. Duplicate detection is a property of the
/// entities (the template sets one day on both), keyed on each message's MessageId.
/// </summary>
public sealed class ServiceBusOptions
{
    public const string SectionName = "ServiceBus";

    /// <summary>e.g. <c>https://handinhand-prod.servicebus.windows.net</c>; used with Entra ID (roles: Data Sender; Data Receiver for the dead-letter drain).</summary>
    public Uri? FullyQualifiedNamespace { get; set; }

    /// <summary>A SAS connection string (Send and Listen rights); used when set, instead of the managed identity.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The queue that feeds the email sender.</summary>
    public string NotificationsQueue { get; set; } = "notifications";

    /// <summary>The topic for lifecycle integration events.</summary>
    public string EventsTopic { get; set; } = "lifecycle-events";

    /// <summary>How many dead letters one receive asks for.</summary>
    public int DeadLetterBatchSize { get; set; } = 50;

    /// <summary>
    /// How many batches one run of the dead-letter drain receives at most, so a flood of dead letters
    /// is worked off over several runs instead of one run that outlives its timer.
    /// </summary>
    public int DeadLetterMaxBatches { get; set; } = 10;

    /// <summary>How long one receive waits for a dead letter when there is none; the drain stops at the first empty batch.</summary>
    public TimeSpan DeadLetterReceiveWait { get; set; } = TimeSpan.FromSeconds(5);
}
