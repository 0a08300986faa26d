using System.Net;
using System.Net.Http.Json;
using HandInHand.Host.Referrals;
using HandInHand.Host.Tests.Referrals;
using HandInHand.Host.Tests.Support;
using Microsoft.AspNetCore.Hosting;

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

        var response = await factory.CreateClient().GetAsync("/dev/notifications");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
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
            builder.UseSetting("Encryption:ActiveKeyId", "test-1");
            builder.UseSetting("Encryption:Keys:0:Id", "test-1");
            builder.UseSetting("Encryption:Keys:0:Key", Convert.ToBase64String(new byte[32]));
        }
    }
}
