using System.Text.Json;
using HandInHand.Infrastructure.ServiceBus;
using HandInHand.Infrastructure.Tests.Http;

namespace HandInHand.Infrastructure.Tests.ServiceBus;

/// <summary>
/// Which failures a send retries. A retry re-sends the very same request, so the broker's duplicate
/// detection can drop the second copy — which is only true within the entity's window.
/// </summary>
public sealed class SendRetryTests
{
    private static ServiceBusMessage Message() => new() { MessageId = "referral-2025-0042/closed/9", Body = "{\"state\":\"Closed\"}" };

    private static string MessageIdOf(RecordedRequest request)
    {
        using var broker = JsonDocument.Parse(request.Header("BrokerProperties")!);
        return broker.RootElement.GetProperty("MessageId").GetString()!;
    }

    /// <summary>Answers the scripted replies in order, then 201 for anything after them.</summary>
    private static Func<RecordedRequest, ScriptedReply> InOrder(params ScriptedReply[] replies)
    {
        int next = -1;
        return _ =>
        {
            int index = Interlocked.Increment(ref next);
            return index < replies.Length ? replies[index] : ScriptedReply.Created();
        };
    }

    [Theory]
    [InlineData(503)]
    [InlineData(500)]
    [InlineData(429)]
    [InlineData(408)]
    public async Task ATransientAnswerIsRetriedWithTheSameMessageIdAndBody(int status)
    {
        await using var peer = new ServiceBusPeer(InOrder(ScriptedReply.Error(status, "busy")));
        var sender = new ServiceBusSender(TestNamespace.ConnectionString, "referral-events", TestNamespace.OptionsFor(peer.Address));

        await sender.SendAsync(Message());

        var requests = peer.Requests;
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.Equal("referral-2025-0042/closed/9", MessageIdOf(r)));
        Assert.Equal(requests[0].BodyText, requests[1].BodyText);
        Assert.All(requests, r => DocumentedSas.Parse(r.Header("Authorization")).AssertSignedWith(TestNamespace.Key));
    }

    [Fact]
    public async Task AConnectionDroppedAfterTheRequestIsRetriedOnANewConnectionWithTheSameMessageId()
    {
        await using var peer = new ServiceBusPeer(InOrder(ScriptedReply.Drop()));
        var sender = new ServiceBusSender(TestNamespace.ConnectionString, "referral-events", TestNamespace.OptionsFor(peer.Address));

        await sender.SendAsync(Message());

        var requests = peer.Requests;
        Assert.Equal(2, requests.Count);
        Assert.NotEqual(requests[0].Connection, requests[1].Connection);
        Assert.Equal(MessageIdOf(requests[0]), MessageIdOf(requests[1]));
        Assert.Equal(requests[0].BodyText, requests[1].BodyText);
    }

    [Fact]
    public async Task ABatchIsRetriedWholeWithTheSameMessageIds()
    {
        await using var peer = new ServiceBusPeer(InOrder(ScriptedReply.Error(503, "busy")));
        var sender = new ServiceBusSender(TestNamespace.ConnectionString, "referral-events", TestNamespace.OptionsFor(peer.Address));

        await sender.SendBatchAsync([Message(), new ServiceBusMessage { MessageId = "m-2", Body = "x" }]);

        var requests = peer.Requests;
        Assert.Equal(2, requests.Count);
        Assert.Equal(requests[0].BodyText, requests[1].BodyText);
    }

    [Theory]
    [InlineData(400, ServiceBusFailureKind.BadRequest)]
    [InlineData(401, ServiceBusFailureKind.Unauthorized)]
    [InlineData(403, ServiceBusFailureKind.Unauthorized)]
    [InlineData(404, ServiceBusFailureKind.NotFound)]
    [InlineData(410, ServiceBusFailureKind.NotFound)]
    [InlineData(413, ServiceBusFailureKind.TooLarge)]
    public async Task ARefusalIsTypedAndNotRetried(int status, ServiceBusFailureKind kind)
    {
        await using var peer = new ServiceBusPeer(ScriptedReply.Error(status, "refused"));
        var sender = new ServiceBusSender(TestNamespace.ConnectionString, "referral-events", TestNamespace.OptionsFor(peer.Address));

        var failure = await Assert.ThrowsAsync<ServiceBusException>(() => sender.SendAsync(Message()));

        Assert.Single(peer.Requests);
        Assert.Equal(status, failure.Status);
        Assert.Equal(kind, failure.Kind);
        Assert.Contains("referral-events", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEntityThatStaysBusyEndsAsThrottledAfterTheConfiguredRetries()
    {
        await using var peer = new ServiceBusPeer(ScriptedReply.Error(503, "busy"));
        var options = TestNamespace.OptionsFor(peer.Address);
        options.Retry.MaxRetries = 2;
        var sender = new ServiceBusSender(TestNamespace.ConnectionString, "referral-events", options);

        var failure = await Assert.ThrowsAsync<ServiceBusException>(() => sender.SendAsync(Message()));

        Assert.Equal(3, peer.Requests.Count);
        Assert.Equal(ServiceBusFailureKind.Throttled, failure.Kind);
        Assert.Equal(503, failure.Status);
        Assert.Contains("may or may not have been enqueued", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutDuplicateDetectionAnAmbiguousSendIsNeverRepeated()
    {
        await using var peer = new ServiceBusPeer(InOrder(ScriptedReply.Error(500, "internal")));
        var options = TestNamespace.OptionsFor(peer.Address);
        options.DuplicateDetectionWindow = TimeSpan.Zero;
        var sender = new ServiceBusSender(TestNamespace.ConnectionString, "referral-events", options);

        var failure = await Assert.ThrowsAsync<ServiceBusException>(() => sender.SendAsync(Message()));

        Assert.Single(peer.Requests);
        Assert.Equal(500, failure.Status);
        Assert.Equal(ServiceBusFailureKind.Other, failure.Kind);
        Assert.Contains("may or may not have been enqueued", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASendIsNotRepeatedOnceTheCopyCouldArriveAfterTheDuplicateDetectionWindow()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var peer = new ServiceBusPeer(request =>
        {
            // The first attempt takes (on the test's clock) most of a 20-second window.
            clock.Advance(TimeSpan.FromSeconds(19));
            return ScriptedReply.Error(503, "busy");
        });
        var options = TestNamespace.OptionsFor(peer.Address, clock);
        options.DuplicateDetectionWindow = TimeSpan.FromSeconds(20);
        var sender = new ServiceBusSender(TestNamespace.ConnectionString, "referral-events", options);

        var failure = await Assert.ThrowsAsync<ServiceBusException>(() => sender.SendAsync(Message()));

        Assert.Single(peer.Requests);
        Assert.Equal(ServiceBusFailureKind.Throttled, failure.Kind);
    }

    [Fact]
    public async Task ARefusedConnectionIsRetriedEvenWithoutDuplicateDetectionBecauseNothingWasSent()
    {
        var options = TestNamespace.OptionsFor(new Uri($"http://127.0.0.1:{LoopbackHttpPeer.ClosedPort()}"));
        options.DuplicateDetectionWindow = TimeSpan.Zero;
        options.Retry.MaxRetries = 2;
        int attempts = 0;
        options.AddPolicy(new CountingPolicy(() => Interlocked.Increment(ref attempts)), Azure.Core.HttpPipelinePosition.PerRetry);
        var sender = new ServiceBusSender(TestNamespace.ConnectionString, "referral-events", options);

        var failure = await Assert.ThrowsAsync<ServiceBusException>(() => sender.SendAsync(Message()));

        Assert.Equal(3, attempts);
        Assert.Equal(0, failure.Status);
        Assert.Equal(ServiceBusFailureKind.Other, failure.Kind);
        Assert.DoesNotContain("may or may not", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RetriesBackOffExponentially()
    {
        await using var peer = new ServiceBusPeer(InOrder(ScriptedReply.Error(503, "busy"), ScriptedReply.Error(503, "busy"), ScriptedReply.Error(503, "busy")));
        var options = TestNamespace.OptionsFor(peer.Address);
        options.Retry.Delay = TimeSpan.FromMilliseconds(100);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(1);
        var sender = new ServiceBusSender(TestNamespace.ConnectionString, "referral-events", options);

        await sender.SendAsync(Message());

        var requests = peer.Requests;
        Assert.Equal(4, requests.Count);
        var gaps = requests.Zip(requests.Skip(1), (a, b) => b.ReceivedAt - a.ReceivedAt).ToList();
        // At least 100, 200, 400 ms less the 20 % jitter. Only lower bounds: a loaded machine may
        // stretch any wait, so an upper bound on wall-clock time would fail for the wrong reason.
        Assert.True(gaps[0].TotalMilliseconds >= 80, $"first wait {gaps[0].TotalMilliseconds} ms");
        Assert.True(gaps[1].TotalMilliseconds >= 160, $"second wait {gaps[1].TotalMilliseconds} ms");
        Assert.True(gaps[2].TotalMilliseconds >= 320, $"third wait {gaps[2].TotalMilliseconds} ms");
    }
}
