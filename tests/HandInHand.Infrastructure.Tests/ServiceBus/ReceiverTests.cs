using HandInHand.Infrastructure.ServiceBus;

namespace HandInHand.Infrastructure.Tests.ServiceBus;

/// <summary>Peek-lock receive, complete (Delete Message) and abandon (Unlock Message) against the peer.</summary>
public sealed class ReceiverTests
{
    private const string LockToken = "7da9cfd5-40d5-4bb1-8d64-ec5a52e1c547";

    // Shaped like the Peek-Lock example in the REST reference.
    private static ScriptedReply LockedMessage(int status = 201, string? location = null) => ScriptedReply.Message(
        status,
        """{"referralId":"2025-0042","email":"ReviewDue"}""",
        ("Content-Type", "application/json"),
        ("Location", location ?? $"https://{TestNamespace.Host}/email-sender/messages/2/{LockToken}"),
        ("BrokerProperties", "{\"DeliveryCount\":3,\"EnqueuedSequenceNumber\":0,\"EnqueuedTimeUtc\":\"Wed, 02 Jul 2014 01:32:27 GMT\",\"Label\":\"M1\","
            + $"\"LockToken\":\"{LockToken}\",\"LockedUntilUtc\":\"Wed, 02 Jul 2014 01:33:27 GMT\",\"MessageId\":\"31907572164743c38741631acd554d6f\","
            + "\"SequenceNumber\":2,\"State\":\"Active\",\"TimeToLive\":10,\"CorrelationId\":\"workflow-2025-0042\"}"),
        ("Priority", "\"High\""),
        ("Customer", "\"12345,ABC\""),
        ("Attempt", "2"),
        ("Urgent", "true"),
        ("Due", "\"Sun, 06 Nov 1994 08:49:37 GMT\""),
        ("Server", "Microsoft-HTTPAPI/2.0"),
        ("Date", "Wed, 02 Jul 2014 01:32:27 GMT"),
        ("Strict-Transport-Security", "max-age=31536000"));

    private static ServiceBusReceiver Receiver(ServiceBusPeer peer) =>
        new(TestNamespace.ConnectionString, "email-sender", TestNamespace.OptionsFor(peer.Address));

    [Theory]
    [InlineData(201)]
    [InlineData(200)]
    public async Task APeekLockPostsToTheHeadWithTheTimeoutAndReadsTheLockedMessage(int status)
    {
        await using var peer = new ServiceBusPeer(LockedMessage(status));

        var message = await Receiver(peer).ReceiveAsync(TimeSpan.FromSeconds(30));

        var request = Assert.Single(peer.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/email-sender/messages/head", request.Path);
        Assert.Equal("30", request.Query("timeout"));
        Assert.Equal("0", request.Header("Content-Length"));
        Assert.Empty(request.Body);
        var sas = DocumentedSas.Parse(request.Header("Authorization"));
        Assert.Equal($"https://{TestNamespace.Host}/email-sender", sas.Resource);
        sas.AssertSignedWith(TestNamespace.Key);

        Assert.NotNull(message);
        Assert.Equal("""{"referralId":"2025-0042","email":"ReviewDue"}""", message.Body);
        Assert.Equal("31907572164743c38741631acd554d6f", message.MessageId);
        Assert.Equal(Guid.Parse(LockToken), message.LockToken);
        Assert.Equal(2, message.SequenceNumber);
        Assert.Equal(3, message.DeliveryCount);
        Assert.Equal("M1", message.Subject);
        Assert.Equal("workflow-2025-0042", message.CorrelationId);
        Assert.Equal("application/json", message.ContentType);
        Assert.Equal(new DateTimeOffset(2014, 7, 2, 1, 32, 27, TimeSpan.Zero), message.EnqueuedTime);
        Assert.Equal(new DateTimeOffset(2014, 7, 2, 1, 33, 27, TimeSpan.Zero), message.LockedUntil);
        Assert.Equal(
            new Dictionary<string, object>
            {
                ["Priority"] = "High",
                ["Customer"] = "12345,ABC",
                ["Attempt"] = 2L,
                ["Urgent"] = true,
                ["Due"] = new DateTimeOffset(1994, 11, 6, 8, 49, 37, TimeSpan.Zero),
            },
            message.ApplicationProperties.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary());
    }

    [Fact]
    public async Task NoMessageWithinTheTimeoutIsNull()
    {
        await using var peer = new ServiceBusPeer(ScriptedReply.Empty(204));

        var message = await Receiver(peer).ReceiveAsync(TimeSpan.Zero);

        Assert.Null(message);
        Assert.Equal("0", Assert.Single(peer.Requests).Query("timeout"));
    }

    [Fact]
    public async Task CompleteDeletesTheLockedMessageAtItsLocation()
    {
        await using var peer = new ServiceBusPeer(request => request.Method == "POST" ? LockedMessage() : ScriptedReply.Empty(200));
        var receiver = Receiver(peer);
        var message = await receiver.ReceiveAsync(TimeSpan.FromSeconds(5));

        await receiver.CompleteAsync(message!);

        var complete = peer.Requests[1];
        Assert.Equal("DELETE", complete.Method);
        Assert.Equal($"/email-sender/messages/2/{LockToken}", complete.Target);
        Assert.Equal("0", complete.Header("Content-Length"));
        DocumentedSas.Parse(complete.Header("Authorization")).AssertSignedWith(TestNamespace.Key);
    }

    [Fact]
    public async Task AbandonUnlocksTheLockedMessageWithAPut()
    {
        await using var peer = new ServiceBusPeer(request => request.Method == "POST" ? LockedMessage() : ScriptedReply.Empty(200));
        var receiver = Receiver(peer);
        var message = await receiver.ReceiveAsync(TimeSpan.FromSeconds(5));

        await receiver.AbandonAsync(message!);

        var abandon = peer.Requests[1];
        Assert.Equal("PUT", abandon.Method);
        Assert.Equal($"/email-sender/messages/2/{LockToken}", abandon.Target);
        Assert.Equal("0", abandon.Header("Content-Length"));
        DocumentedSas.Parse(abandon.Header("Authorization")).AssertSignedWith(TestNamespace.Key);
    }

    [Fact]
    public async Task ALocationOnAnotherHostNeverRedirectsOurCredentials()
    {
        await using var peer = new ServiceBusPeer(request =>
            request.Method == "POST" ? LockedMessage(location: $"https://attacker.example/email-sender/messages/2/{LockToken}") : ScriptedReply.Empty(200));
        var receiver = Receiver(peer);
        var message = await receiver.ReceiveAsync(TimeSpan.FromSeconds(5));

        await receiver.CompleteAsync(message!);

        // The request reached this peer (the client's own endpoint), on the locked message's path.
        Assert.Equal($"/email-sender/messages/2/{LockToken}", peer.Requests[1].Target);
    }

    [Fact]
    public async Task WithoutAUsableLocationTheLockPathIsBuiltFromTheSequenceNumberAndLockToken()
    {
        await using var peer = new ServiceBusPeer(request =>
            request.Method == "POST" ? LockedMessage(location: "https://elsewhere.example/other-queue/messages/9/x") : ScriptedReply.Empty(200));
        var receiver = Receiver(peer);
        var message = await receiver.ReceiveAsync(TimeSpan.FromSeconds(5));

        await receiver.AbandonAsync(message!);

        Assert.Equal($"/email-sender/messages/2/{LockToken}", peer.Requests[1].Target);
    }

    [Fact]
    public async Task ALostLockIsATypedNotFound()
    {
        await using var peer = new ServiceBusPeer(request => request.Method == "POST" ? LockedMessage() : ScriptedReply.Error(404, "lock lost"));
        var receiver = Receiver(peer);
        var message = await receiver.ReceiveAsync(TimeSpan.FromSeconds(5));

        var failure = await Assert.ThrowsAsync<ServiceBusException>(() => receiver.CompleteAsync(message!));

        Assert.Equal(ServiceBusFailureKind.NotFound, failure.Kind);
        Assert.Equal(2, peer.Requests.Count);
    }

    [Fact]
    public async Task AMissingQueueIsATypedNotFound()
    {
        await using var peer = new ServiceBusPeer(ScriptedReply.Error(410, "gone"));

        var failure = await Assert.ThrowsAsync<ServiceBusException>(() => Receiver(peer).ReceiveAsync(TimeSpan.FromSeconds(1)));

        Assert.Equal(ServiceBusFailureKind.NotFound, failure.Kind);
        Assert.Equal(410, failure.Status);
    }

    [Fact]
    public async Task AnAnswerWithoutALockTokenIsAnErrorNotAMessage()
    {
        await using var peer = new ServiceBusPeer(ScriptedReply.Message(201, "x", ("BrokerProperties", "{\"SequenceNumber\":2}")));

        var failure = await Assert.ThrowsAsync<ServiceBusException>(() => Receiver(peer).ReceiveAsync(TimeSpan.FromSeconds(1)));

        Assert.Equal(ServiceBusFailureKind.Other, failure.Kind);
    }

    [Fact]
    public async Task AReceiveWhoseConnectionDroppedIsRetried()
    {
        int calls = 0;
        await using var peer = new ServiceBusPeer(_ => Interlocked.Increment(ref calls) == 1 ? ScriptedReply.Drop() : ScriptedReply.Empty(204));

        var message = await Receiver(peer).ReceiveAsync(TimeSpan.FromSeconds(1));

        Assert.Null(message);
        Assert.Equal(2, peer.Requests.Count);
    }

    [Fact]
    public async Task AMessageFromAnotherEntityCannotBeSettledHere()
    {
        await using var peer = new ServiceBusPeer(LockedMessage());
        var other = new ServiceBusReceiver(TestNamespace.ConnectionString, "other-queue", TestNamespace.OptionsFor(peer.Address));
        var message = await Receiver(peer).ReceiveAsync(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAsync<ArgumentException>(() => other.CompleteAsync(message!));
        Assert.Single(peer.Requests);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(96)]
    public async Task ATimeoutOutsideTheNetworkTimeoutIsRefused(int seconds)
    {
        await using var peer = new ServiceBusPeer(ScriptedReply.Empty(204));

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Receiver(peer).ReceiveAsync(TimeSpan.FromSeconds(seconds)));
        Assert.Empty(peer.Requests);
    }

    [Fact]
    public async Task ASubscriptionIsReceivedFromItsTopicPath()
    {
        await using var peer = new ServiceBusPeer(ScriptedReply.Empty(204));
        var receiver = new ServiceBusReceiver(TestNamespace.ConnectionString, "referral-topic/subscriptions/email", TestNamespace.OptionsFor(peer.Address));

        await receiver.ReceiveAsync(TimeSpan.FromSeconds(1));

        Assert.Equal("/referral-topic/subscriptions/email/messages/head", Assert.Single(peer.Requests).Path);
    }
}
