using HandInHand.Testing;
using System.Net.Http.Json;
using System.Text.Json;
using HandInHand.Domain.Lifecycle;
using HandInHand.Host.Referrals;
using HandInHand.Host.Tests.Lifecycle;
using HandInHand.Host.Tests.Referrals;
using HandInHand.Host.Tests.Support;
using HandInHand.Host.Web;
using HandInHand.Infrastructure.Referrals;
using HandInHand.Infrastructure.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace HandInHand.Host.Tests.Privacy;

/// <summary>
/// docs/privacy.md must describe every property the app stores. The host's retention period ends
/// at closure, so the retention review's rows are written within the test.
/// </summary>
public sealed class PrivacyDescriptionTests(RetentionTests.PromptRetentionFactory factory) : IClassFixture<RetentionTests.PromptRetentionFactory>
{
    // odata.etag is the SDK's copy of the ETag in its dictionary entity, not a stored property.
    private static readonly string[] SystemProperties = ["PartitionKey", "RowKey", "Timestamp", "odata.etag"];
    private static readonly string[] SelbyOnly = ["Selby"];

    [Fact]
    public async Task EveryStoredPropertyIsDescribedInThePrivacyDocument()
    {
        await RunAWholeLifecycleAsync();
        var tables = factory.Services.GetRequiredService<TableProvider>();
        var names = HandInHand.Host.Setup.StorageInitializer.TableNames;
        var document = await File.ReadAllTextAsync(RepositoryFiles.PathOf("docs", "privacy.md"));

        var stored = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            await foreach (var row in tables.Get(name).QueryAsync())
            {
                foreach (var (property, _) in row)
                {
                    if (!SystemProperties.Contains(property))
                    {
                        stored.Add($"{name}.{property}");
                    }
                }
            }
        }

        Assert.True(stored.Count > 30, $"only {stored.Count} properties were stored: the lifecycle did not run");
        var missing = stored.Where(p => !document.Contains($"`{p}`", StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, "docs/privacy.md does not describe: " + string.Join(", ", missing));
    }

    private async Task RunAWholeLifecycleAsync()
    {
        var client = factory.CreateClient();
        var submit = new HttpRequestMessage(HttpMethod.Post, "/api/referrals") { Content = JsonContent.Create(Submissions.Valid()) };
        submit.Headers.Add(ReferralApi.IdempotencyKeyHeader, Guid.NewGuid().ToString());
        var reference = (await (await client.SendAsync(submit)).Content.ReadFromJsonAsync<ReferralReceipt>())!.Reference;

        async Task<JsonElement> Act(string action, object body, string id, string role)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/api/referrals/{reference}/{action}") { Content = JsonContent.Create(body) };
            request.Headers.Add(ActorHeaders.IdHeader, id);
            request.Headers.Add(ActorHeaders.RoleHeader, role);
            var response = await client.SendAsync(request);
            response.EnsureSuccessStatusCode();
            return await response.Content.ReadFromJsonAsync<JsonElement>();
        }

        // The referral's first step follows intake's answer.
        await Lifecycle.LifecycleDriver.ReceivedAsync(client, reference);
        await Act("accept", new { }, "manager-1", "manager");
        var view = new HttpRequestMessage(HttpMethod.Get, $"/api/referrals/{reference}");
        view.Headers.Add(ActorHeaders.IdHeader, "manager-1");
        view.Headers.Add(ActorHeaders.RoleHeader, "manager");
        var practitioner = (await (await client.SendAsync(view)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("practitionerId").GetString()!;
        await Act("first-contact", new { consent = true }, practitioner, "practitioner");
        var wheel = LifecycleSettings.DefaultMyWheelDomains.ToDictionary(d => d, _ => 5);
        await Act("reviews", new { myWheel = wheel, trafficLights = new Dictionary<string, string> { ["missing-episodes"] = "amber" }, riskLevel = "medium" }, practitioner, "practitioner");

        // Fill the practitioner's region so that a second referral waits, and leave a timer due.
        var put = new HttpRequestMessage(HttpMethod.Put, $"/api/staff/practitioners/{practitioner}") { Content = JsonContent.Create(new { displayName = "Practitioner", regions = SelbyOnly, capacity = 1 }) };
        put.Headers.Add(ActorHeaders.IdHeader, "manager-1");
        put.Headers.Add(ActorHeaders.RoleHeader, "manager");
        (await client.SendAsync(put)).EnsureSuccessStatusCode();
        var second = new HttpRequestMessage(HttpMethod.Post, "/api/referrals") { Content = JsonContent.Create(Submissions.Valid(firstName: "Sam")) };
        second.Headers.Add(ReferralApi.IdempotencyKeyHeader, Guid.NewGuid().ToString());
        var waiting = (await (await client.SendAsync(second)).Content.ReadFromJsonAsync<ReferralReceipt>())!.Reference;
        await Lifecycle.LifecycleDriver.ReceivedAsync(client, waiting);
        var accept = new HttpRequestMessage(HttpMethod.Post, $"/api/referrals/{waiting}/accept") { Content = JsonContent.Create(new { }) };
        accept.Headers.Add(ActorHeaders.IdHeader, "manager-1");
        accept.Headers.Add(ActorHeaders.RoleHeader, "manager");
        var waitingView = await (await client.SendAsync(accept)).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("WaitingList", waitingView.GetProperty("stage").GetString());

        // The end of support: a safe channel, the closure and its survey links; years later, the retention review.
        var channel = new HttpRequestMessage(HttpMethod.Put, $"/api/referrals/{reference}/contact-channel") { Content = JsonContent.Create(new { channel = "email", address = "young@example.org", markedSafe = true }) };
        channel.Headers.Add(ActorHeaders.IdHeader, practitioner);
        channel.Headers.Add(ActorHeaders.RoleHeader, "practitioner");
        (await client.SendAsync(channel)).EnsureSuccessStatusCode();
        await Act("close", new { reason = "goals met", finalMyWheel = wheel, riskLevel = "standard" }, practitioner, "practitioner");
        await LifecycleDriver.EventuallyAsync(
            async () => (await new LifecycleDriver(factory).NotificationsAsync(reference, NotificationKind.RetentionReviewDue)).Count > 0,
            "the retention review of " + reference);
    }
}
