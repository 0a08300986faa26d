using HandInHand.Infrastructure.ServiceBus;
using HandInHand.Infrastructure.Tests.Http;

namespace HandInHand.Infrastructure.Tests.ServiceBus;

/// <summary>Failures name operations and entities; they never carry the key, a signature or message data.</summary>
public sealed class SecretHygieneTests
{
    private const string Body = "{\"referralId\":\"2025-0042\",\"marker\":\"BODY-MARKER-7f3a\"}";

    private static ServiceBusMessage Message() => new()
    {
        MessageId = "m-1",
        Body = Body,
        ApplicationProperties = { ["State"] = "PROPERTY-MARKER-91c2" },
    };

    private static void AssertClean(Exception failure, IEnumerable<string> signatures)
    {
        string text = failure.ToString();
        Assert.DoesNotContain(TestNamespace.Key, text, StringComparison.Ordinal);
        Assert.DoesNotContain("BODY-MARKER", text, StringComparison.Ordinal);
        Assert.DoesNotContain("PROPERTY-MARKER", text, StringComparison.Ordinal);
        Assert.DoesNotContain("SharedAccessSignature", text, StringComparison.Ordinal);
        foreach (string signature in signatures)
        {
            Assert.DoesNotContain(signature, text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(400)]
    [InlineData(413)]
    [InlineData(503)]
    public async Task ARefusalNeverQuotesTheKeyTheSignatureTheBodyOrTheServiceText(int status)
    {
        // The peer's error detail echoes everything it was sent, as a careless service might.
        await using var peer = new ServiceBusPeer(request =>
            ScriptedReply.Error(status, request.Header("Authorization") + " " + request.BodyText + " " + request.Header("State")));
        var options = TestNamespace.OptionsFor(peer.Address);
        options.Retry.MaxRetries = 1;
        var sender = new ServiceBusSender(TestNamespace.ConnectionString, "referral-events", options);

        var failure = await Assert.ThrowsAsync<ServiceBusException>(() => sender.SendAsync(Message()));

        var signatures = peer.Requests.Select(r => DocumentedSas.Parse(r.Header("Authorization"))).SelectMany(s => new[] { s.Signature, s.EncodedSignature });
        AssertClean(failure, signatures);
    }

    [Fact]
    public async Task ATransportFailureNeverQuotesTheKeyOrTheBody()
    {
        var options = TestNamespace.OptionsFor(new Uri($"http://127.0.0.1:{LoopbackHttpPeer.ClosedPort()}"));
        options.Retry.MaxRetries = 1;
        var sender = new ServiceBusSender(TestNamespace.ConnectionString, "referral-events", options);

        var failure = await Assert.ThrowsAsync<ServiceBusException>(() => sender.SendAsync(Message()));

        AssertClean(failure, []);
    }

    [Fact]
    public async Task ADroppedConnectionNeverQuotesTheKeyOrTheBody()
    {
        await using var peer = new ServiceBusPeer(ScriptedReply.Drop());
        var options = TestNamespace.OptionsFor(peer.Address);
        options.Retry.MaxRetries = 1;
        var sender = new ServiceBusSender(TestNamespace.ConnectionString, "referral-events", options);

        var failure = await Assert.ThrowsAsync<ServiceBusException>(() => sender.SendAsync(Message()));

        Assert.Equal(2, peer.Requests.Count);
        var signatures = peer.Requests.Select(r => DocumentedSas.Parse(r.Header("Authorization"))).SelectMany(s => new[] { s.Signature, s.EncodedSignature });
        AssertClean(failure, signatures);
        Assert.Contains("may or may not have been enqueued", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AReceivedMessagePrintsItsIdsButNotItsBodyOrProperties()
    {
        var message = new ReceivedMessage(Body, "m-1", Guid.NewGuid(), 42, 1, new Dictionary<string, object> { ["State"] = "PROPERTY-MARKER-91c2" });

        string text = message.ToString();

        Assert.Contains("m-1", text, StringComparison.Ordinal);
        Assert.Contains("42", text, StringComparison.Ordinal);
        Assert.DoesNotContain("BODY-MARKER", text, StringComparison.Ordinal);
        Assert.DoesNotContain("PROPERTY-MARKER", text, StringComparison.Ordinal);
    }
}
