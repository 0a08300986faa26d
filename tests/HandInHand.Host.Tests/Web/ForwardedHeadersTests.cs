using System.Net;
using HandInHand.Host.Tests.Support;

namespace HandInHand.Host.Tests.Web;

/// <summary>
/// Behind the Azure front end and the Functions host every request reaches the app from loopback;
/// who the client is and whether it used https come from forwarded headers, believed only from a
/// configured proxy. The app runs on a real socket here, so the peer address is a real 127.0.0.1.
/// </summary>
public sealed class ForwardedHeadersTests
{
    /// <summary>Not a loopback name, which HSTS leaves out on purpose.</summary>
    private const string PublicHost = "handinhand.example.org";

    [Fact]
    public async Task BehindATrustedProxyEachForwardedClientHasItsOwnLimitAndHttpsIsHonoured()
    {
        await using var factory = Limited(knownProxy: "127.0.0.1");
        using var client = new HttpClient { BaseAddress = factory.ServerAddress };

        var one = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            one.Add((await SendAsync(client, "/referrals/status", "198.51.100.7")).StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], one);
        // Another client behind the same proxy still has its own allowance.
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, "/referrals/status", "198.51.100.8")).StatusCode);
        // The front end appends the address it saw: whatever the client wrote before it is not believed.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await SendAsync(client, "/referrals/status", "203.0.113.1, 198.51.100.7")).StatusCode);

        var secure = await SendAsync(client, "/health", "198.51.100.9", proto: "https");
        Assert.Equal(HttpStatusCode.OK, secure.StatusCode);
        Assert.True(secure.Headers.Contains("Strict-Transport-Security"), "https forwarded by the trusted proxy gets HSTS");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("192.0.2.10")]
    public async Task ForwardedHeadersFromAnUntrustedPeerNeitherEscapeItsLimitNorGetHttpsTreatment(string? knownProxy)
    {
        await using var factory = Limited(knownProxy);
        using var client = new HttpClient { BaseAddress = factory.ServerAddress };

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            // A new made-up client address on every request: the limit still counts the real peer.
            statuses.Add((await SendAsync(client, "/referrals/status", $"198.51.100.{10 + i}")).StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        var spoofed = await SendAsync(client, "/health", "198.51.100.20", proto: "https");
        Assert.Equal(HttpStatusCode.OK, spoofed.StatusCode);
        Assert.False(spoofed.Headers.Contains("Strict-Transport-Security"), "a spoofed X-Forwarded-Proto must not make the request https");
    }

    private static ProductionHandInHandFactory Limited(string? knownProxy)
    {
        var settings = new Dictionary<string, string>
        {
            ["RateLimits:PerClientPermits"] = "2",
            ["RateLimits:TotalPermits"] = "1000",
            ["RateLimits:Window"] = "PT5M",
        };
        if (knownProxy is not null)
        {
            settings["ForwardedHeaders:KnownProxies:0"] = knownProxy;
        }

        return new ProductionHandInHandFactory(settings);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string path, string forwardedFor, string proto = "http")
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = PublicHost;
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        request.Headers.Add("X-Forwarded-Proto", proto);
        return client.SendAsync(request);
    }
}
