using System.Text.Json.Nodes;
using Azure.Messaging.ServiceBus;
using HandInHand.Domain.Lifecycle;
using HandInHand.Infrastructure.Messaging;
using HandInHand.Infrastructure.Workflow;

namespace HandInHand.Infrastructure.Tests.Messaging;

/// <summary>
/// The Service Bus transport through the SDK's seams (a <see cref="ServiceBusSender"/> subclass; no
/// broker runs here): what a queued notification and a lifecycle event carry (ids, names and UTC
/// times only, MessageId for duplicate detection, subject and properties), and that a failed or
/// cancelled send reaches the outbox, which keeps the notification.
/// </summary>
public sealed class IntegrationMessageTests
{
    private static readonly DeliveredNotification Notification =
        new("HH-2026-00042|outbox|0000000003|000", "HH-2026-00042", NotificationKind.TriageReminder, Role.Manager, null, new DateTimeOffset(2026, 11, 23, 14, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task ANotificationIsQueuedUnderItsOwnIdWithIdsOnly()
    {
        var queue = new RecordingSender("notifications");

        await new ServiceBusNotificationChannel(queue).DeliverAsync(Notification);

        var message = Assert.Single(queue.Sent);
        Assert.Equal(Notification.MessageId, message.MessageId);
        Assert.Equal("TriageReminder", message.Subject);
        Assert.Equal("HH-2026-00042", message.CorrelationId);
        Assert.Equal("application/json", message.ContentType);
        Assert.Empty(message.ApplicationProperties);
        var body = JsonNode.Parse(message.Body.ToString())!.AsObject();
        Assert.Equal(["deliveredAt", "kind", "messageId", "recipientId", "recipientRole", "reference"], body.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal("TriageReminder", (string?)body["kind"]);
        Assert.Equal("Manager", (string?)body["recipientRole"]);
        Assert.Equal(Notification, IntegrationMessages.ReadNotification(message.Body.ToString()));
    }

    [Fact]
    public async Task AStageChangeIsPublishedToTheTopicInUtcWithTheNewStageAsAFilterableProperty()
    {
        var topic = new RecordingSender("lifecycle-events");
        var at = new DateTimeOffset(2026, 6, 1, 9, 30, 0, TimeSpan.FromHours(1));

        await new ServiceBusLifecycleEvents(topic).PublishAsync(new StageChanged("HH-2026-00042|outbox|0000000007|001", "HH-2026-00042", Stage.AwaitingAllocation, Stage.Allocated, at));

        var message = Assert.Single(topic.Sent);
        Assert.Equal("HH-2026-00042|outbox|0000000007|001", message.MessageId);
        Assert.Equal(IntegrationMessages.StageChangedSubject, message.Subject);
        Assert.Equal("HH-2026-00042", message.CorrelationId);
        Assert.Equal("Allocated", Assert.Single(message.ApplicationProperties, p => p.Key == "stage").Value);
        var body = JsonNode.Parse(message.Body.ToString())!.AsObject();
        Assert.Equal(["at", "from", "reference", "to"], body.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal("AwaitingAllocation", (string?)body["from"]);
        Assert.Equal("Allocated", (string?)body["to"]);
        Assert.Equal("2026-06-01T08:30:00+00:00", (string?)body["at"]);
    }

    [Fact]
    public async Task ASecondSendOfTheSameNotificationCarriesTheSameMessageIdForTheBrokerToDrop()
    {
        var queue = new RecordingSender("notifications");
        var channel = new ServiceBusNotificationChannel(queue);

        await channel.DeliverAsync(Notification);
        await channel.DeliverAsync(Notification with { DeliveredAt = Notification.DeliveredAt.AddMinutes(5) });

        Assert.Equal([Notification.MessageId, Notification.MessageId], queue.Sent.Select(m => m.MessageId));
    }

    [Theory]
    [InlineData(ServiceBusFailureReason.ServiceBusy, true)]
    [InlineData(ServiceBusFailureReason.ServiceTimeout, true)]
    [InlineData(ServiceBusFailureReason.ServiceCommunicationProblem, true)]
    [InlineData(ServiceBusFailureReason.MessagingEntityNotFound, false)]
    [InlineData(ServiceBusFailureReason.MessageSizeExceeded, false)]
    [InlineData(ServiceBusFailureReason.QuotaExceeded, false)]
    public async Task AFailedSendSurfacesUnchangedOnceSoThatTheOutboxKeepsTheNotification(ServiceBusFailureReason reason, bool transient)
    {
        // The SDK has already spent its own retries on a transient failure when this reaches us; a
        // permanent one is not retried. Either way the outbox keeps the item for the dispatcher.
        var queue = new RecordingSender("notifications") { Failure = new ServiceBusException("refused", reason, "notifications") };

        var failure = await Assert.ThrowsAsync<ServiceBusException>(() => new ServiceBusNotificationChannel(queue).DeliverAsync(Notification));

        Assert.Equal(reason, failure.Reason);
        Assert.Equal(transient, failure.IsTransient);
        Assert.Equal(1, queue.Attempts);
        Assert.Empty(queue.Sent);
    }

    [Fact]
    public async Task ACancelledSendThrowsAndSendsNothing()
    {
        var queue = new RecordingSender("notifications");
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new ServiceBusNotificationChannel(queue).DeliverAsync(Notification, cancel.Token));

        Assert.Empty(queue.Sent);
    }

    [Fact]
    public void AMessageThatIsNotANotificationIsRefusedWithoutQuotingIt()
    {
        var failure = Assert.Throws<InvalidDataException>(() => IntegrationMessages.ReadNotification("{\"reference\":\"Robin Example\",\"kind\":"));
        Assert.DoesNotContain("Robin", failure.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => IntegrationMessages.ReadNotification("{\"kind\":\"TriageReminder\"}"));
    }
}
