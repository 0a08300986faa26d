using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HandInHand.Host.Functions;
using HandInHand.Host.Tests.Referrals;
using HandInHand.Host.Tests.Resilience;
using HandInHand.Host.Tests.Support;
using HandInHand.Infrastructure.Tests.ServiceBus;

namespace HandInHand.Host.Tests.Deployment;

/// <summary>
/// The app as the Functions host runs it: a separate process given only <c>FUNCTIONS_CUSTOMHANDLER_PORT</c>,
/// sent the documented invocation payloads (<c>Data</c>/<c>Metadata</c>) for each non-HTTP function,
/// answering <c>Outputs</c>/<c>Logs</c>/<c>ReturnValue</c>. With the Service Bus transport it sends to a
/// loopback Service Bus peer, whose notification message, handed back as the queue trigger would, becomes an email.
/// </summary>
public sealed class FunctionInvocationTests : IAsyncLifetime, IDisposable
{
    private const string SasKeyName = "app-send";
    private const string SasKey = "bm90LWEtcmVhbC1rZXktb25seS1mb3ItdGhlLXRlc3Q=";
    private readonly string _mailbox = Path.Combine(Path.GetTempPath(), "handinhand-functions-" + Guid.NewGuid().ToString("N"));
    private readonly ServiceBusPeer _bus = new(ScriptedReply.Created());
    private HostProcess _host = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _host = HostProcess.AsCustomHandler(new Dictionary<string, string>
        {
            ["Storage__ConnectionString"] = TestStorage.ConnectionString,
            ["Storage__TablePrefix"] = TestStorage.NewTablePrefix(),
            ["Workflow__DispatcherEnabled"] = "false",
            ["Digests__Enabled"] = "false",
            ["Notifications__DevelopmentMailboxPath"] = _mailbox,
            ["RateLimits__PerClientPermits"] = "100000",
            ["RateLimits__TotalPermits"] = "100000",
            ["Transport__Notifications"] = "ServiceBus",
            ["Transport__IntegrationEvents"] = "ServiceBus",
            ["ServiceBus__ConnectionString"] = $"Endpoint=sb://handinhand-test.servicebus.windows.net/;SharedAccessKeyName={SasKeyName};SharedAccessKey={SasKey}",
            ["ServiceBus__CustomEndpoint"] = _bus.Address.ToString(),
        });
        await _host.StartAsync();
        _client = new HttpClient { BaseAddress = _host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _client?.Dispose();
        _host?.Dispose();
        _bus.DisposeAsync().AsTask().GetAwaiter().GetResult();
        if (Directory.Exists(_mailbox))
        {
            Directory.Delete(_mailbox, recursive: true);
        }
    }

    [Fact]
    public async Task TheDispatcherTimerRunsOneTickAndReportsItsCounts()
    {
        var (status, reply) = await InvokeAsync(FunctionNames.DispatcherTick, TimerPayload());

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(JsonValueKind.Object, reply.GetProperty("Outputs").ValueKind);
        Assert.StartsWith("Dispatcher tick: 0 due, 0 fired", Assert.Single(reply.GetProperty("Logs").EnumerateArray()).GetString(), StringComparison.Ordinal);
        Assert.Equal(0, reply.GetProperty("ReturnValue").GetProperty("failed").GetInt32());
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
    public async Task ASubmittedReferralGoesOutOnServiceBusWithIdsOnlyAndItsQueuedNotificationBecomesOneEmail()
    {
        var form = Submissions.Valid(firstName: "Robin", lastName: "Queuetest");
        var reference = await SubmitAsync(form);

        var sent = await WaitForAsync(() => _bus.Requests.Where(r => r.Method == "POST").ToList(), list =>
            list.Any(r => r.Path == "/notifications/messages") && list.Any(r => r.Path == "/lifecycle-events/messages"));
        foreach (var request in sent)
        {
            // The documented SAS, scoped to the entity on the namespace, signed with the key string.
            var sas = DocumentedSas.Parse(request.Header("Authorization"));
            Assert.Equal(SasKeyName, sas.KeyName);
            Assert.Equal("https://handinhand-test.servicebus.windows.net" + request.Path[..request.Path.LastIndexOf('/')], sas.Resource);
            sas.AssertSignedWith(SasKey);
            using var broker = JsonDocument.Parse(request.Header("BrokerProperties")!);
            Assert.False(string.IsNullOrEmpty(broker.RootElement.GetProperty("MessageId").GetString()));
            // Nothing the referrer typed about the young person or themselves travels.
            foreach (var secret in new[] { "Robin", "Queuetest", "sam.worker", "Example Academy", "07700", "Contact with older adults", "2011-05-14" })
            {
                Assert.DoesNotContain(secret, request.BodyText, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(secret, string.Join("\n", request.HeaderList.Select(h => h.Value)), StringComparison.OrdinalIgnoreCase);
            }
        }

        var stageChange = sent.First(r => r.Path == "/lifecycle-events/messages");
        var change = JsonNode.Parse(stageChange.BodyText)!.AsObject();
        Assert.Equal(["at", "from", "reference", "to"], change.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(reference, (string?)change["reference"]);
        Assert.Equal("None", (string?)change["from"]);
        Assert.Equal("AwaitingTriage", (string?)change["to"]);
        Assert.Equal("\"AwaitingTriage\"", stageChange.Header("stage"));

        var queued = sent.First(r => r.Path == "/notifications/messages");
        Assert.Equal("application/json", queued.Header("Content-Type"));
        var messageId = JsonDocument.Parse(queued.Header("BrokerProperties")!).RootElement.GetProperty("MessageId").GetString()!;
        Assert.Empty(Emails());

        // The queue trigger hands the body over as a JSON string; delivered twice, it is sent once.
        var payload = new JsonObject
        {
            ["Data"] = new JsonObject { [FunctionEndpoints.MessageBinding] = queued.BodyText },
            ["Metadata"] = new JsonObject { ["MessageId"] = messageId, ["DeliveryCount"] = 1, ["sys"] = new JsonObject { ["MethodName"] = FunctionNames.SendNotificationEmail } },
        };
        var (first, firstReply) = await InvokeAsync(FunctionNames.SendNotificationEmail, payload);
        var (second, secondReply) = await InvokeAsync(FunctionNames.SendNotificationEmail, payload);

        Assert.Equal(HttpStatusCode.OK, first);
        Assert.Equal("Sent", firstReply.GetProperty("ReturnValue").GetString());
        Assert.Equal(HttpStatusCode.OK, second);
        Assert.Equal("Sent", secondReply.GetProperty("ReturnValue").GetString());
        var email = Assert.Single(Emails());
        Assert.Contains(reference, File.ReadAllText(email), StringComparison.Ordinal);
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
    public async Task ADeadLetteredNotificationIsRecordedOnceAndCountedInTheManagersView()
    {
        var body = JsonSerializer.Serialize(new { messageId = "HH-2026-00999|n|7", reference = "HH-2026-00999", kind = "TriageReminder", recipientRole = "Manager", recipientId = (string?)null, deliveredAt = "2026-11-23T10:00:00Z" });
        var payload = new JsonObject
        {
            ["Data"] = new JsonObject { [FunctionEndpoints.MessageBinding] = body },
            ["Metadata"] = new JsonObject
            {
                ["MessageId"] = "HH-2026-00999|n|7",
                ["DeliveryCount"] = 10,
                ["EnqueuedTimeUtc"] = "2026-11-23T09:00:00Z",
                ["ApplicationProperties"] = new JsonObject { ["DeadLetterReason"] = "MaxDeliveryCountExceeded", ["DeadLetterErrorDescription"] = "Message could not be consumed after 10 delivery attempts." },
                ["sys"] = new JsonObject { ["MethodName"] = FunctionNames.RecordDeadLetter },
            },
        };

        var (status, reply) = await InvokeAsync(FunctionNames.RecordDeadLetter, payload);
        var (again, _) = await InvokeAsync(FunctionNames.RecordDeadLetter, payload);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(HttpStatusCode.OK, again);
        Assert.Equal("Dead letter recorded: TriageReminder for HH-2026-00999", Assert.Single(reply.GetProperty("Logs").EnumerateArray()).GetString());
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/staff/dead-letters");
        request.Headers.Add("X-Actor-Id", "manager-1");
        request.Headers.Add("X-Actor-Role", "manager");
        var view = await (await _client.SendAsync(request)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, view.GetProperty("count").GetInt32());
        var item = Assert.Single(view.GetProperty("items").EnumerateArray());
        Assert.Equal("notifications", item.GetProperty("entity").GetString());
        Assert.Equal("HH-2026-00999", item.GetProperty("reference").GetString());
        Assert.Equal(10, item.GetProperty("deliveryCount").GetInt32());
        Assert.Equal("MaxDeliveryCountExceeded: Message could not be consumed after 10 delivery attempts.", item.GetProperty("reason").GetString());
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
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reference").GetString()!;
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
