using System.Text.Json.Nodes;
using Azure.Messaging.ServiceBus;
using HandInHand.Domain.Lifecycle;
using HandInHand.Infrastructure.Messaging;
using HandInHand.Infrastructure.Workflow;

namespace HandInHand.Infrastructure.Tests.Messaging;

/// <summary>
/// The Service Bus transport through the SDK's seams (a <see cref="ServiceBusSender"/> subclass; no
/// broker runs here): what a lifecycle event carries (ids, names and UTC times only, MessageId for
/// duplicate detection, subject and properties), and that a failed or cancelled send reaches the
/// caller, the AnnounceStageChange activity, which fails and is tried again.
/// </summary>
public sealed class IntegrationMessageTests
{
    private static readonly StageChanged Change =
        new("HH-2026-00042|outbox|0000000007|001", "HH-2026-00042", Stage.AwaitingAllocation, Stage.Allocated, new DateTimeOffset(2026, 6, 1, 9, 30, 0, TimeSpan.FromHours(1)));

    [Fact]
    public async Task AStageChangeIsPublishedToTheTopicInUtcWithTheNewStageAsAFilterableProperty()
    {
        var topic = new RecordingSender("lifecycle-events");

        await new ServiceBusLifecycleEvents(topic).PublishAsync(Change);

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

    [Theory]
    [InlineData(ServiceBusFailureReason.ServiceBusy, true)]
    [InlineData(ServiceBusFailureReason.ServiceTimeout, true)]
    [InlineData(ServiceBusFailureReason.ServiceCommunicationProblem, true)]
    [InlineData(ServiceBusFailureReason.MessagingEntityNotFound, false)]
    [InlineData(ServiceBusFailureReason.MessageSizeExceeded, false)]
    [InlineData(ServiceBusFailureReason.QuotaExceeded, false)]
    public async Task AFailedPublishSurfacesUnchangedOnceSoThatTheActivityFails(ServiceBusFailureReason reason, bool transient)
    {
        // The SDK has already spent its own retries on a transient failure when this reaches us; a
        // permanent one is not retried. Either way the activity fails, and the same message id goes
        // again when it is tried again.
        var topic = new RecordingSender("lifecycle-events") { Failure = new ServiceBusException("refused", reason, "lifecycle-events") };

        var failure = await Assert.ThrowsAsync<ServiceBusException>(() => new ServiceBusLifecycleEvents(topic).PublishAsync(Change));

        Assert.Equal(reason, failure.Reason);
        Assert.Equal(transient, failure.IsTransient);
        Assert.Equal(1, topic.Attempts);
        Assert.Empty(topic.Sent);
    }

    [Fact]
    public async Task ACancelledPublishThrowsAndSendsNothing()
    {
        var topic = new RecordingSender("lifecycle-events");
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new ServiceBusLifecycleEvents(topic).PublishAsync(Change, cancel.Token));

        Assert.Empty(topic.Sent);
    }
}
