namespace HandInHand.Infrastructure.Workflow;

/// <summary>
/// A way of reaching people (email now; SMS could be a second). A channel is given each recorded
/// notification and must deliver it at most once per message id, whatever it is given twice.
/// The lifecycle knows only notification kinds and recipients, never channels.
/// </summary>
public interface INotificationChannel
{
    Task DeliverAsync(DeliveredNotification notification, CancellationToken cancellationToken = default);
}
