using System.Text.Json;
using System.Text.Json.Nodes;
using HandInHand.Domain.Lifecycle;
using HandInHand.Infrastructure.Messaging;
using HandInHand.Infrastructure.ServiceBus;
using HandInHand.Infrastructure.Tests.ServiceBus;
using HandInHand.Infrastructure.Workflow;

namespace HandInHand.Infrastructure.Tests.Messaging;

/// <summary>
/// The Service Bus transport against a loopback Service Bus peer: what a queued notification and a
/// lifecycle event look like on the wire (REST send, SAS, BrokerProperties, custom properties), and
/// that they carry ids, names and UTC times only.
/// </summary>
public sealed class IntegrationMessageTests
{
    private static readonly DeliveredNotification Notification =
        new("HH-2026-00042|outbox|0000000003|000", "HH-2026-00042", NotificationKind.TriageReminder, Role.Manager, null, new DateTimeOffset(2026, 11, 23, 14, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task ANotificationIsQueuedUnderItsOwnIdWithIdsOnly()
    {
        await using var peer = new ServiceBusPeer(ScriptedReply.Created());
        var channel = new ServiceBusNotificationChannel(new ServiceBusSender(TestNamespace.ConnectionString, "notifications", TestNamespace.OptionsFor(peer.Address)));

        await channel.DeliverAsync(Notification);

        var request = Assert.Single(peer.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/notifications/messages", request.Path);
        Assert.Equal("application/json", request.Header("Content-Type"));
        var sas = DocumentedSas.Parse(request.Header("Authorization"));
        Assert.Equal($"https://{TestNamespace.Host}/notifications", sas.Resource);
        sas.AssertSignedWith(TestNamespace.Key);
        using var broker = JsonDocument.Parse(request.Header("BrokerProperties")!);
        Assert.Equal(Notification.MessageId, broker.RootElement.GetProperty("MessageId").GetString());
        Assert.Equal("TriageReminder", broker.RootElement.GetProperty("Label").GetString());
        Assert.Equal("HH-2026-00042", broker.RootElement.GetProperty("CorrelationId").GetString());

        var body = JsonNode.Parse(request.BodyText)!.AsObject();
        Assert.Equal(["deliveredAt", "kind", "messageId", "recipientId", "recipientRole", "reference"], body.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal("TriageReminder", (string?)body["kind"]);
        Assert.Equal("Manager", (string?)body["recipientRole"]);
        Assert.Equal(Notification, IntegrationMessages.ReadNotification(request.BodyText));
    }

    [Fact]
    public async Task AStageChangeIsPublishedToTheTopicInUtcWithTheNewStageAsAFilterableProperty()
    {
        await using var peer = new ServiceBusPeer(ScriptedReply.Created());
        var events = new ServiceBusLifecycleEvents(new ServiceBusSender(TestNamespace.ConnectionString, "lifecycle-events", TestNamespace.OptionsFor(peer.Address)));
        var at = new DateTimeOffset(2026, 6, 1, 9, 30, 0, TimeSpan.FromHours(1));

        await events.PublishAsync(new StageChanged("HH-2026-00042|outbox|0000000007|001", "HH-2026-00042", Stage.AwaitingAllocation, Stage.Allocated, at));

        var request = Assert.Single(peer.Requests);
        Assert.Equal("/lifecycle-events/messages", request.Path);
        Assert.Equal("\"Allocated\"", request.Header("stage"));
        using var broker = JsonDocument.Parse(request.Header("BrokerProperties")!);
        Assert.Equal("HH-2026-00042|outbox|0000000007|001", broker.RootElement.GetProperty("MessageId").GetString());
        Assert.Equal(IntegrationMessages.StageChangedSubject, broker.RootElement.GetProperty("Label").GetString());
        var body = JsonNode.Parse(request.BodyText)!.AsObject();
        Assert.Equal(["at", "from", "reference", "to"], body.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal("AwaitingAllocation", (string?)body["from"]);
        Assert.Equal("Allocated", (string?)body["to"]);
        Assert.Equal("2026-06-01T08:30:00+00:00", (string?)body["at"]);
    }

    [Fact]
    public async Task ARefusedSendSurfacesSoThatTheOutboxKeepsTheNotification()
    {
        await using var peer = new ServiceBusPeer(ScriptedReply.Error(403, "not allowed"));
        var channel = new ServiceBusNotificationChannel(new ServiceBusSender(TestNamespace.ConnectionString, "notifications", TestNamespace.OptionsFor(peer.Address)));

        var failure = await Assert.ThrowsAsync<ServiceBusException>(() => channel.DeliverAsync(Notification));

        Assert.Equal(403, failure.Status);
    }

    [Fact]
    public void AMessageThatIsNotANotificationIsRefusedWithoutQuotingIt()
    {
        var failure = Assert.Throws<InvalidDataException>(() => IntegrationMessages.ReadNotification("{\"reference\":\"Robin Example\",\"kind\":"));
        Assert.DoesNotContain("Robin", failure.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => IntegrationMessages.ReadNotification("{\"kind\":\"TriageReminder\"}"));
    }
}
