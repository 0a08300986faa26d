using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using HandInHand.Domain.Lifecycle;
using HandInHand.Host.Tests.Lifecycle;
using HandInHand.Host.Tests.Referrals;
using HandInHand.Host.Tests.Support;

namespace HandInHand.Host.Tests.Security;

/// <summary>Distinctive values pushed through every kind of endpoint never reach a log line.</summary>
public sealed class LogPrivacyTests : IDisposable
{
    // Every category at its most verbose, as an administrator chasing a fault might set it.
    private readonly HandInHandFactory factory = new VerboseFactory();

    public void Dispose() => factory.Dispose();

    private const string Marker = "Qzvmarker";
    private static readonly string[] York = ["City of York"];

    [Fact]
    public async Task NoMarkerPushedThroughAnyEndpointAppearsInAnyLogLine()
    {
        var hh = new LifecycleDriver(factory);
        var client = factory.CreateClient();
        var form = hh.Form()
            .With("youngPerson.firstName", JsonValue.Create(Marker + "first"))
            .With("youngPerson.safeContact", JsonValue.Create(Marker + " contact"))
            .With("concernDetails", JsonValue.Create(Marker + " concern"))
            .With("referrer.name", JsonValue.Create(Marker + " referrer"));
        var reference = await hh.SubmitAsync(form);
        await hh.AcceptAsync(reference);

        // Commands with free text, bad input, wrong steps, refused callers.
        await hh.SendAsync(reference, "decline", StaffActor.Manager, new JsonObject { ["reason"] = Marker + " reason", ["category"] = "criteria" });
        await hh.SendAsync(reference, "first-contact", StaffActor.Selby, new JsonObject { ["consent"] = true, [Marker] = 1 });
        await hh.CommandAsync(reference, "first-contact", StaffActor.Selby, new JsonObject { ["consent"] = true });
        var review = LifecycleDriver.Review();
        review["trafficLights"] = new JsonObject { [Marker + "-indicator"] = "red" };
        await hh.SendAsync(reference, "reviews", StaffActor.Selby, review);
        await hh.SendAsync(reference, "close", StaffActor.Selby, new JsonObject { ["reason"] = Marker + " closing", ["riskLevel"] = "low-" + Marker });
        await hh.SendAsync(reference, "withdraw", StaffActor.Manager, new JsonObject { ["reason"] = new string('x', 3000) + Marker, ["category"] = "no-longer-needed" });
        await hh.GetAsync($"/api/referrals/{reference}/timeline", StaffActor.Manager);
        await hh.GetAsync($"/api/referrals/{reference}/audit", StaffActor.Manager);

        // Public endpoints: malformed JSON, a wrong access code, the HTML form and status page.
        var broken = new HttpRequestMessage(HttpMethod.Post, "/api/referrals") { Content = new StringContent("{\"youngPerson\":{\"firstName\":\"" + Marker, Encoding.UTF8, "application/json") };
        broken.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        await client.SendAsync(broken);
        var status = new HttpRequestMessage(HttpMethod.Get, $"/api/referrals/{reference}/status");
        status.Headers.Add("Referral-Access-Code", Marker);
        await client.SendAsync(status);
        await client.PostAsync("/referrals/new", new FormUrlEncodedContent(new Dictionary<string, string> { ["youngPerson.firstName"] = Marker, ["idempotencyKey"] = "short" }));
        await client.PostAsync("/referrals/status", new FormUrlEncodedContent(new Dictionary<string, string> { ["reference"] = Marker, ["accessCode"] = Marker }));
        await client.GetAsync($"/api/referrals/{reference}/status?code={Marker}");
        await client.GetAsync($"/api/referrals/{Marker}/status");
        await client.GetAsync($"/s/{Marker}");

        // Staff settings, and the case's clocks firing in its orchestration (short here: a review reminder within seconds).
        var put = new HttpRequestMessage(HttpMethod.Put, "/api/staff/practitioners/practitioner-york") { Content = JsonContent.Create(new { displayName = new string('y', 200) + Marker, regions = York, capacity = 3 }) };
        put.Headers.Add("X-Actor-Id", "manager-1");
        put.Headers.Add("X-Actor-Role", "manager");
        await client.SendAsync(put);
        await hh.NotifiedAsync(reference, NotificationKind.ReviewReminder, within: TimeSpan.FromSeconds(40));

        Assert.NotEmpty(factory.Logs.Lines);
        var leaks = factory.Logs.Lines.Where(l => l.Contains(Marker, StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.True(leaks.Count == 0, "log lines with a marker:\n" + string.Join("\n", leaks.Take(5)));
    }

    private sealed class VerboseFactory : HandInHandFactory
    {
        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Logging:LogLevel:Default", "Trace");
            builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Trace");
            builder.UseSetting("Lifecycle:ReviewEvery", "PT8S");
            builder.UseSetting("Lifecycle:ReviewReminderBefore", "PT3S");
        }
    }
}
