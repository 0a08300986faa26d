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

        var html = await client.GetStringAsync("/dev/notifications");

        Assert.Contains(receipt!.Reference, html, StringComparison.Ordinal);
        Assert.Contains("ReferralAcknowledged", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Zqxmarker", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheNotificationsPageDoesNotExistOutsideDevelopment()
    {
        using var factory = new ProductionFactory();

        var response = await factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false }).GetAsync("/dev/notifications");

        // Unknown paths ask for sign-in outside Development (deny by default); no dev route exists.
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        var routes = factory.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>().Select(e => e.RoutePattern.RawText ?? string.Empty);
        Assert.DoesNotContain(routes, r => r.TrimStart('/').StartsWith("dev/", StringComparison.Ordinal));
    }

    private sealed class ProductionFactory : HandInHandFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseEnvironment("Production");
            builder.UseSetting("Intake:SecretKey", Convert.ToBase64String(new byte[32]));
            builder.UseSetting("Notifications:DevelopmentMailboxPath", string.Empty);
            builder.UseSetting("SendGrid:ApiKey", "SG.not-a-real-key");
            builder.UseSetting("Entra:TenantId", "00000000-0000-0000-0000-000000000001");
            builder.UseSetting("Entra:ClientId", "00000000-0000-0000-0000-000000000002");
            builder.UseSetting("Entra:ClientSecret", "not-a-real-secret");
            builder.UseSetting("Notifications:BaseUrl", "https://handinhand.example.org/");
            builder.UseSetting("Notifications:FromEmail", "referrals@example.org");
            builder.UseSetting("Notifications:ManagerEmail", "manager@example.org");
            builder.UseSetting("Encryption:ActiveKeyId", "test-1");
            builder.UseSetting("Encryption:Keys:0:Id", "test-1");
            builder.UseSetting("Encryption:Keys:0:Key", Convert.ToBase64String(new byte[32]));
        }
    }
}
