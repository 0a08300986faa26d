using Azure.Messaging.ServiceBus;
using HandInHand.Infrastructure.Workflow;

namespace HandInHand.Infrastructure.Messaging;

/// <summary>
/// The Service Bus transport for notifications: the outbox enqueues each one on the notifications
/// queue (MessageId = the notification's id, for duplicate detection) and the queue-triggered
/// <c>SendNotificationEmail</c> function hands it to <see cref="Notifications.EmailDelivery"/>, which
/// sends each email at most once whatever arrives twice. A send that fails leaves the outbox item
/// for the dispatcher.
/// </summary>
public sealed class ServiceBusNotificationChannel(ServiceBusSender queue) : INotificationChannel
{
    public Task DeliverAsync(DeliveredNotification notification, CancellationToken cancellationToken = default) =>
        queue.SendMessageAsync(IntegrationMessages.Notification(notification), cancellationToken);
}
