using System.Net;
using HandInHand.Host.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace HandInHand.Host.Tests.Web;

/// <summary>An unexpected failure answers with problem details that say nothing about what failed.</summary>
public sealed class ForcedExceptionTests
{
    private const string Secret = "Zqxsecret-in-exception";

    [Fact]
    public async Task AnUnhandledExceptionGivesA500ProblemWithNoDetailOfTheFailure()
    {
        using var factory = new ThrowingFactory();

        var request = new HttpRequestMessage(HttpMethod.Post, "/api/referrals") { Content = System.Net.Http.Json.JsonContent.Create(HandInHand.Host.Tests.Referrals.Submissions.Valid()) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        var response = await factory.CreateClient().SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain(Secret, body, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", body, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        // Only the exception handler's own error record carries the exception, for diagnosis; the
        // app's exceptions never hold personal data (their messages name steps, fields and codes).
        Assert.DoesNotContain(factory.Logs.Lines, l => l.Contains(Secret, StringComparison.Ordinal) && !l.Contains("Microsoft.AspNetCore.Diagnostics", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnUnhandledExceptionStillCarriesEverySecurityHeader()
    {
        using var factory = new ThrowingFactory();

        var request = new HttpRequestMessage(HttpMethod.Post, "/api/referrals") { Content = System.Net.Http.Json.JsonContent.Create(HandInHand.Host.Tests.Referrals.Submissions.Valid()) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        var response = await factory.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("default-src 'none'", string.Join(";", response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("camera=()", string.Join(",", response.Headers.GetValues("Permissions-Policy")), StringComparison.Ordinal);
        Assert.True(response.Headers.CacheControl?.NoStore);
    }

    [Fact]
    public async Task AnUnhandledExceptionOverHttpsInProductionStillCarriesHsts()
    {
        await using var factory = new ThrowingProductionFactory();
        using var client = new HttpClient { BaseAddress = factory.ServerAddress };

        var request = new HttpRequestMessage(HttpMethod.Post, "/api/referrals") { Content = System.Net.Http.Json.JsonContent.Create(HandInHand.Host.Tests.Referrals.Submissions.Valid()) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        // Not a loopback name (HSTS leaves those out); https as the trusted front end reports it.
        request.Headers.Host = "handinhand.example.org";
        request.Headers.Add("X-Forwarded-For", "198.51.100.7");
        request.Headers.Add("X-Forwarded-Proto", "https");
        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.StartsWith("max-age=", response.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    /// <summary>The app in Production behind a trusted proxy on loopback, with the same planted fault.</summary>
    private sealed class ThrowingProductionFactory() : ProductionHandInHandFactory(new Dictionary<string, string> { ["ForwardedHeaders:KnownProxies:0"] = "127.0.0.1" })
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services => services.AddSingleton<TimeProvider>(new BrokenClock()));
        }
    }

    /// <summary>The app with a fault planted in a dependency of intake: its clock throws.</summary>
    private sealed class ThrowingFactory : HandInHandFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services => services.AddSingleton<TimeProvider>(new BrokenClock()));
        }
    }

    private sealed class BrokenClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => throw new InvalidOperationException(Secret);
    }
}
