using System.Net;
using System.Net.Http.Json;
using HandInHand.Host.Referrals;
using HandInHand.Host.Tests.Referrals;
using HandInHand.Host.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace HandInHand.Host.Tests.Development;

public sealed class DevelopmentPagesTests
{
    [Fact]
    public async Task TheNotificationsPageListsTheAcknowledgementWithoutPersonalData()
    {
        using var factory = new HandInHandFactory();
        var client = factory.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/referrals") { Content = JsonContent.Create(Submissions.Valid(firstName: "Zqxmarker")) };
        request.Headers.Add(ReferralApi.IdempotencyKeyHeader, Guid.NewGuid().ToString());
        var receipt = await (await client.SendAsync(request)).Content.ReadFromJsonAsync<ReferralReceipt>();

        // The acknowledgement is the referral's first step, which follows intake's answer.
        var html = string.Empty;
        await Lifecycle.LifecycleDriver.EventuallyAsync(async () => (html = await client.GetStringAsync("/dev/notifications")).Contains(receipt!.Reference, StringComparison.Ordinal), "the acknowledgement listed", TimeSpan.FromSeconds(60));

        Assert.Contains(receipt!.Reference, html, StringComparison.Ordinal);
        Assert.Contains("ReferralAcknowledged", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Zqxmarker", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheNotificationsPageDoesNotExistOutsideDevelopment()
    {
        await using var factory = new ProductionHandInHandFactory();

        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = factory.ServerAddress };
        var response = await client.GetAsync("/dev/notifications");

        // Unknown paths ask for sign-in outside Development (deny by default); no dev route exists.
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        var routes = factory.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>().Select(e => e.RoutePattern.RawText ?? string.Empty);
        Assert.DoesNotContain(routes, r => r.TrimStart('/').StartsWith("dev/", StringComparison.Ordinal));
    }
}
