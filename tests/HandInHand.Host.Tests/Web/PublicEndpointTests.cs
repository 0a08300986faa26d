using System.Net;
using System.Net.Http.Json;
using HandInHand.Host.Referrals;
using HandInHand.Host.Tests.Referrals;
using HandInHand.Host.Tests.Support;
using HandInHand.Host.Web;
using Microsoft.AspNetCore.Hosting;

namespace HandInHand.Host.Tests.Web;

public sealed class PublicEndpointTests
{
    [Fact]
    public async Task APublicEndpointIsRateLimitedPerClientWithRetryAfterAndStaffEndpointsAreNot()
    {
        using var factory = new LimitedFactory();
        var client = factory.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((await client.GetAsync("/referrals/status")).StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        var refused = await client.GetAsync("/referrals/new");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        // A person at a page gets a page in the site's layout, in plain words; the API keeps problem details.
        Assert.Equal("text/html", refused.Content.Headers.ContentType?.MediaType);
        var page = await refused.Content.ReadAsStringAsync();
        Assert.Contains("<!DOCTYPE html>", page, StringComparison.Ordinal);
        Assert.Contains(Html.StylesheetPath, page, StringComparison.Ordinal);
        Assert.Contains("Too many requests", page, StringComparison.Ordinal);
        Assert.DoesNotContain("\"status\"", page, StringComparison.Ordinal);

        var request = new HttpRequestMessage(HttpMethod.Post, "/api/referrals") { Content = JsonContent.Create(Submissions.Valid()) };
        request.Headers.Add(ReferralApi.IdempotencyKeyHeader, Guid.NewGuid().ToString());
        var refusedApi = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.TooManyRequests, refusedApi.StatusCode);
        Assert.Equal("application/problem+json", refusedApi.Content.Headers.ContentType?.MediaType);
        Assert.True(refusedApi.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task EveryPageCarriesTheSecurityHeadersAndNoInlineStyleOrScript()
    {
        using var factory = new HandInHandFactory();
        var response = await factory.CreateClient().GetAsync("/referrals/new");
        var html = await response.Content.ReadAsStringAsync();

        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.True(response.Headers.CacheControl?.NoStore);
        var permissions = string.Join(",", response.Headers.GetValues("Permissions-Policy"));
        foreach (var feature in new[] { "camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()" })
        {
            Assert.Contains(feature, permissions, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("<style", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("style=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("text/css", (await factory.CreateClient().GetAsync("/assets/site.css")).Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task TheFaviconAnswersWithoutSignInAndEveryAnswerCarriesThePermissionsPolicy()
    {
        using var factory = new HandInHandFactory();
        var client = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var favicon = await client.GetAsync("/favicon.ico");
        Assert.Equal(HttpStatusCode.NoContent, favicon.StatusCode);
        Assert.Contains("camera=()", string.Join(",", favicon.Headers.GetValues("Permissions-Policy")), StringComparison.Ordinal);

        // A refusal and an API answer carry it too, not only pages.
        var refused = await client.GetAsync("/api/staff/triage-queue");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("camera=()", string.Join(",", refused.Headers.GetValues("Permissions-Policy")), StringComparison.Ordinal);
    }

    private sealed class LimitedFactory : HandInHandFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("RateLimits:PerClientPermits", "3");
            builder.UseSetting("RateLimits:TotalPermits", "1000");
            builder.UseSetting("RateLimits:Window", "PT5M");
        }
    }
}
