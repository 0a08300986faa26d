using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HandInHand.Host.Functions;
using HandInHand.Host.Tests.Referrals;
using HandInHand.Host.Tests.Resilience;
using HandInHand.Host.Tests.Support;
using HandInHand.Domain.Lifecycle;
using HandInHand.Infrastructure.Messaging;
using HandInHand.Infrastructure.Workflow;

namespace HandInHand.Host.Tests.Deployment;

/// <summary>
/// The app as the Functions host runs it: a separate process given only <c>FUNCTIONS_CUSTOMHANDLER_PORT</c>,
/// sent the documented invocation payloads (<c>Data</c>/<c>Metadata</c>) for each non-HTTP function,
/// answering <c>Outputs</c>/<c>Logs</c>/<c>ReturnValue</c>. No Service Bus broker runs here (the SDK
/// speaks AMQP and there is no emulator without Docker), so the process keeps the in-process transport
/// and is handed a notification message as the queue trigger would hand it over; what the app puts on
/// Service Bus is checked through the SDK's sender seam in the Infrastructure tests.
/// </summary>
public sealed class FunctionInvocationTests : IAsyncLifetime, IDisposable
{
    private readonly string _mailbox = Path.Combine(Path.GetTempPath(), "handinhand-functions-" + Guid.NewGuid().ToString("N"));
    private HostProcess _host = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var prefix = TestStorage.NewTablePrefix();
        _host = HostProcess.AsCustomHandler(new Dictionary<string, string>
        {
            ["Storage__ConnectionString"] = TestStorage.ConnectionString,
            ["Storage__TablePrefix"] = prefix,
            // A task hub of its own, as each test factory has: no other host's worker takes its referrals.
            ["Orchestration__TaskHubName"] = "hub" + prefix,
            ["Digests__Enabled"] = "false",
            ["Notifications__DevelopmentMailboxPath"] = _mailbox,
            ["RateLimits__PerClientPermits"] = "100000",
            ["RateLimits__TotalPermits"] = "100000",
        });
        await _host.StartAsync();
        _client = new HttpClient { BaseAddress = _host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _client?.Dispose();
        _host?.Dispose();
        if (Directory.Exists(_mailbox))
        {
            Directory.Delete(_mailbox, recursive: true);
        }
    }

    [Fact]
    public async Task UnderTheFunctionsHostTheAppRunsTheReferralOrchestrationsItself()
    {
        // No Functions timer drives a referral: the custom handler's own orchestration worker takes
        // the command, allocates the accepted referral and records the outcome the request waits for.
        var reference = await SubmitAsync(Submissions.Valid(firstName: "Robin", lastName: "Workertest"));
        using var accept = new HttpRequestMessage(HttpMethod.Post, $"api/referrals/{reference}/accept") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        accept.Headers.Add("X-Actor-Id", "manager-1");
        accept.Headers.Add("X-Actor-Role", "manager");

        var response = await _client.SendAsync(accept);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Allocated", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("stage").GetString());
    }

    [Fact]
    public async Task TheDigestTimerAnswersWithWhatItDid()
    {
        var (status, reply) = await InvokeAsync(FunctionNames.DigestRun, TimerPayload());

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("Digests", Assert.Single(reply.GetProperty("Logs").EnumerateArray()).GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheRetentionTimerRunsTheRetentionJob()
    {
        var (status, reply) = await InvokeAsync(FunctionNames.RetentionRun, TimerPayload());

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("Retention: ", Assert.Single(reply.GetProperty("Logs").EnumerateArray()).GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AQueuedNotificationBecomesOneEmailHoweverOftenTheTriggerDeliversIt()
    {
        var reference = await SubmitAsync(Submissions.Valid(firstName: "Robin", lastName: "Queuetest"));

        // The in-process transport sends the acknowledgement itself; the queued copy below is another message.
        Assert.Single(await WaitForAsync(Emails, list => list.Length > 0));
        var queued = IntegrationMessages.Notification(new DeliveredNotification(reference + "|queued|1", reference, NotificationKind.ReferralAcknowledged, Role.Referrer, null, DateTimeOffset.UtcNow));

        // The queue trigger hands the body over as a JSON string; delivered twice, it is sent once.
        var payload = new JsonObject
        {
            ["Data"] = new JsonObject { [FunctionEndpoints.MessageBinding] = queued.Body.ToString() },
            ["Metadata"] = new JsonObject { ["MessageId"] = queued.MessageId, ["DeliveryCount"] = 1, ["sys"] = new JsonObject { ["MethodName"] = FunctionNames.SendNotificationEmail } },
        };
        var (first, firstReply) = await InvokeAsync(FunctionNames.SendNotificationEmail, payload);
        var (second, secondReply) = await InvokeAsync(FunctionNames.SendNotificationEmail, payload);

        Assert.Equal(HttpStatusCode.OK, first);
        Assert.Equal("Sent", firstReply.GetProperty("ReturnValue").GetString());
        Assert.Equal(HttpStatusCode.OK, second);
        Assert.Equal("Sent", secondReply.GetProperty("ReturnValue").GetString());
        Assert.Equal(2, Emails().Length);
        Assert.Equal($"Notification ReferralAcknowledged for {reference}: Sent", Assert.Single(firstReply.GetProperty("Logs").EnumerateArray()).GetString());
    }

    [Fact]
    public async Task AMessageThatIsNotANotificationFailsWithoutEchoingItSoServiceBusRetriesAndDeadLettersIt()
    {
        var payload = new JsonObject { ["Data"] = new JsonObject { [FunctionEndpoints.MessageBinding] = "{\"name\":\"Robin Secret\"," }, ["Metadata"] = new JsonObject() };

        var (status, reply) = await InvokeAsync(FunctionNames.SendNotificationEmail, payload);

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        var log = Assert.Single(reply.GetProperty("Logs").EnumerateArray()).GetString()!;
        Assert.Contains("not a notification", log, StringComparison.Ordinal);
        Assert.DoesNotContain("Robin", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDeadLetterTimerDoesNothingWhenServiceBusIsNotTheTransport()
    {
        var (status, reply) = await InvokeAsync(FunctionNames.DrainDeadLetters, TimerPayload());

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(DrainDeadLettersJob.NotTheTransport, Assert.Single(reply.GetProperty("Logs").EnumerateArray()).GetString());
    }

    [Fact]
    public async Task PublicRoutesAnswerOnTheCustomHandlerPortToo()
    {
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("health")).StatusCode);
    }

    /// <summary>A timer invocation as the host sends it.</summary>
    private static JsonObject TimerPayload() => new()
    {
        ["Data"] = new JsonObject
        {
            ["timer"] = new JsonObject
            {
                ["Schedule"] = new JsonObject { ["AdjustForDST"] = true },
                ["ScheduleStatus"] = new JsonObject { ["Last"] = "2026-11-23T09:59:00+00:00", ["Next"] = "2026-11-23T10:01:00+00:00", ["LastUpdated"] = "2026-11-23T09:59:00+00:00" },
                ["IsPastDue"] = false,
            },
        },
        ["Metadata"] = new JsonObject { ["sys"] = new JsonObject { ["MethodName"] = "timer", ["UtcNow"] = "2026-11-23T10:00:00Z", ["RandGuid"] = Guid.NewGuid().ToString() } },
    };

    private async Task<(HttpStatusCode Status, JsonElement Reply)> InvokeAsync(string function, JsonObject payload)
    {
        using var content = new StringContent(payload.ToJsonString(), Encoding.UTF8, "application/json");
        var response = await _client.PostAsync(function, content);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private async Task<string> SubmitAsync(JsonObject form)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/referrals") { Content = new StringContent(form.ToJsonString(), Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        var response = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var reference = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reference").GetString()!;

        // The referral's first step follows intake's answer, taken by the process's own worker.
        await Lifecycle.LifecycleDriver.ReceivedAsync(_client, reference);
        return reference;
    }

    private string[] Emails() => Directory.Exists(_mailbox) ? Directory.GetFiles(_mailbox, "*.eml", SearchOption.AllDirectories) : [];

    private static async Task<T> WaitForAsync<T>(Func<T> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var value = read();
            if (done(value) || DateTime.UtcNow > deadline)
            {
                return value;
            }

            await Task.Delay(50);
        }
    }
}
