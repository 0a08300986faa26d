using Azure.Core.Pipeline;
using HandInHand.Infrastructure.ServiceBus;
using HandInHand.Infrastructure.Tests.Http;

namespace HandInHand.Infrastructure.Tests.ServiceBus;

/// <summary>Shared access signatures and Entra bearer tokens, as the peer sees them.</summary>
public sealed class AuthorizationTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task TheSignatureExpiresOneLifetimeFromNowAndIsReusedUntilShortlyBeforeThat()
    {
        var clock = new ManualClock(Start);
        await using var peer = new ServiceBusPeer(ScriptedReply.Created());
        var sender = new ServiceBusSender(TestNamespace.ConnectionString, "referral-events", TestNamespace.OptionsFor(peer.Address, clock));
        var message = new ServiceBusMessage { MessageId = "m-1", Body = "x" };

        await sender.SendAsync(message);
        clock.Advance(TimeSpan.FromMinutes(50));
        await sender.SendAsync(message);
        clock.Advance(TimeSpan.FromMinutes(6));
        await sender.SendAsync(message);

        var tokens = peer.Requests.Select(r => r.Header("Authorization")!).ToList();
        var first = DocumentedSas.Parse(tokens[0]);
        Assert.Equal(Start.AddHours(1).ToUnixTimeSeconds(), first.Expiry);
        Assert.Equal(tokens[0], tokens[1]);
        var renewed = DocumentedSas.Parse(tokens[2]);
        Assert.Equal(Start.AddMinutes(56).AddHours(1).ToUnixTimeSeconds(), renewed.Expiry);
        renewed.AssertSignedWith(TestNamespace.Key);
    }

    [Fact]
    public async Task ThePeerAcceptsOnlyASignatureMadeWithTheRightKey()
    {
        // The peer plays the broker: it checks the signature by the documented formula and answers 401 otherwise.
        await using var peer = new ServiceBusPeer(request =>
        {
            try
            {
                var sas = DocumentedSas.Parse(request.Header("Authorization"));
                sas.AssertSignedWith(TestNamespace.Key);
                return sas.Expiry > DateTimeOffset.UtcNow.ToUnixTimeSeconds() ? ScriptedReply.Created() : ScriptedReply.Error(401, "expired");
            }
            catch (Xunit.Sdk.XunitException)
            {
                return ScriptedReply.Error(401, "InvalidSignature");
            }
        });
        const string wrongKey = "d3Jvbmcta2V5LXdyb25nLWtleS13cm9uZy1rZXk9PT0=";
        string wrongConnection = TestNamespace.ConnectionString.Replace(TestNamespace.Key, wrongKey, StringComparison.Ordinal);
        var good = new ServiceBusSender(TestNamespace.ConnectionString, "referral-events", TestNamespace.OptionsFor(peer.Address));
        var bad = new ServiceBusSender(wrongConnection, "referral-events", TestNamespace.OptionsFor(peer.Address));
        var message = new ServiceBusMessage { MessageId = "m-1", Body = "x" };

        await good.SendAsync(message);
        var failure = await Assert.ThrowsAsync<ServiceBusException>(() => bad.SendAsync(message));

        Assert.Equal(ServiceBusFailureKind.Unauthorized, failure.Kind);
        Assert.Equal(2, peer.Requests.Count);
    }

    [Fact]
    public async Task ATokenCredentialSendsABearerTokenForTheServiceBusScope()
    {
        using var certificate = LoopbackHttpPeer.CreateCertificate();
        await using var peer = new ServiceBusPeer(_ => ScriptedReply.Created(), certificate);
        var credential = new RecordingTokenCredential("fake-entra-token");
        var options = TestNamespace.OptionsFor(peer.Address);
        // Trust exactly the peer's throw-away certificate.
#pragma warning disable CA2000 // The transport owns the handler for the life of the test.
        options.Transport = new HttpClientTransport(new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == certificate.Thumbprint,
        });
#pragma warning restore CA2000
        var sender = new ServiceBusSender(new Uri($"https://{TestNamespace.Host}"), "referral-events", credential, options);

        await sender.SendAsync(new ServiceBusMessage { MessageId = "m-1", Body = "x" });

        var request = Assert.Single(peer.Requests);
        Assert.Equal("Bearer fake-entra-token", request.Header("Authorization"));
        Assert.Equal("/referral-events/messages", request.Target);
        Assert.Equal(["https://servicebus.azure.net/.default"], credential.RequestedScopes.Distinct());
    }

    [Fact]
    public void ATokenCredentialIsRefusedForAPlainHttpEndpoint()
    {
        var options = new ServiceBusClientOptions { CustomEndpointAddress = new Uri("http://127.0.0.1:5672") };

        Assert.Throws<ArgumentException>(
            () => new ServiceBusSender(new Uri($"https://{TestNamespace.Host}"), "q", new RecordingTokenCredential("t"), options));
    }

    [Fact]
    public void PlainHttpIsAcceptedOnlyForALoopbackPeer()
    {
        var options = new ServiceBusClientOptions { CustomEndpointAddress = new Uri("http://sb.example.org") };

        Assert.Throws<ArgumentException>(() => new ServiceBusSender(TestNamespace.ConnectionString, "q", options));
    }

    [Fact]
    public void ReplacingTheRetryPolicyIsRefusedBecauseItGuardsTheDuplicateDetectionWindow()
    {
        var options = new ServiceBusClientOptions { RetryPolicy = new RetryPolicy() };

        Assert.Throws<ArgumentException>(() => new ServiceBusSender(TestNamespace.ConnectionString, "q", options));
    }
}
