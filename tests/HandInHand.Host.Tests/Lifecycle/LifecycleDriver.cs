using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HandInHand.Domain.Lifecycle;
using HandInHand.Host.Referrals;
using HandInHand.Host.Staff;
using HandInHand.Host.Tests.Referrals;
using HandInHand.Host.Tests.Support;
using HandInHand.Infrastructure.Workflow;
using Microsoft.Extensions.DependencyInjection;

namespace HandInHand.Host.Tests.Lifecycle;

/// <summary>A staff member as the API sees them: the actor headers.</summary>
internal sealed record StaffActor(string Id, string Role)
{
    public static readonly StaffActor Manager = new("manager-1", "manager");
    public static readonly StaffActor Admin = new("admin-1", "admin");
    /// <summary>Someone whose token claims the referrer role: a role claim gives no power over any referral.</summary>
    public static readonly StaffActor ClaimedReferrer = new("referrer-1", "referrer");

    public static readonly StaffActor Panel = new("panel-1", "panel");

    /// <summary>The seeded practitioner of the default test region (appsettings.json).</summary>
    public static readonly StaffActor Selby = Practitioner(LifecycleDriver.SelbyPractitioner);

    public static StaffActor Practitioner(string id) => new(id, "practitioner");
}

/// <summary>A notification as GET /api/staff/notifications shows it.</summary>
internal sealed record Sent(string Kind, string RecipientRole, string? RecipientId, DateTimeOffset DeliveredAt);

/// <summary>A history entry as GET /api/referrals/{ref}/timeline shows it.</summary>
internal sealed record Step(long Sequence, string Type, DateTimeOffset At, string ActorId, string ActorRole, JsonElement Details);

/// <summary>
/// Drives the real host the way staff and the Functions timer do: HTTP calls with actor headers,
/// the fake clock moved forward, and dispatcher ticks. Every call asserts nothing but its status,
/// so the tests read as the behaviour they check.
/// </summary>
internal sealed class LifecycleDriver(HandInHandFactory factory)
{
    public const string Selby = "Selby";
    public const string SelbyPractitioner = "practitioner-selby";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public HttpClient Client { get; } = factory.CreateClient();

    public DateTimeOffset Now => factory.Clock.GetUtcNow();

    public T Service<T>()
        where T : notnull => factory.Services.GetRequiredService<T>();

    /// <summary>Nine My Wheel scores, one per default domain.</summary>
    public static JsonObject MyWheel(int score = 5)
    {
        var wheel = new JsonObject();
        foreach (var domain in LifecycleSettings.DefaultMyWheelDomains)
        {
            wheel[domain] = score;
        }

        return wheel;
    }

    public static JsonObject Review(string risk = "standard", int score = 6) => new()
    {
        ["myWheel"] = MyWheel(score),
        ["trafficLights"] = new JsonObject { ["school attendance"] = "amber", ["missing episodes"] = "green" },
        ["riskLevel"] = risk,
    };

    public static JsonObject Closure(string reason = "goals-met", string risk = "standard") => new()
    {
        ["reason"] = reason,
        ["finalMyWheel"] = MyWheel(8),
        ["riskLevel"] = risk,
    };

    /// <summary>
    /// A referral form for a young person nobody else in the test is: a made-up name of random
    /// letters and a phone number of its own, so that no two referrals look like duplicates unless
    /// a test makes them so. The young person is 15, whatever the clock says.
    /// </summary>
    public JsonObject Form(string region = Selby, string risk = "high")
    {
        var dateOfBirth = DateOnly.FromDateTime(Now.UtcDateTime).AddYears(-15).AddMonths(-3);
        var letters = new string([.. Guid.NewGuid().ToString("N").Select(c => (char)('a' + (Convert.ToInt32(c.ToString(), 16) % 26)))]);
        var phone = "07700 " + Random.Shared.Next(100000, 999999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Submissions.Valid(firstName: "Q" + letters[..9], lastName: "Z" + letters[10..20])
            .With("youngPerson.region", JsonValue.Create(region))
            .With("youngPerson.phone", JsonValue.Create(phone))
            .With("riskLevel", JsonValue.Create(risk))
            .With("youngPerson.dateOfBirth", JsonValue.Create(dateOfBirth.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <summary>Submits a referral form as a referrer would and returns its reference.</summary>
    public async Task<string> SubmitAsync(JsonObject? form = null)
    {
        // The host's clock catches up with real time, in which the orchestrations run: the
        // referral's clocks start now, not when the test class began.
        // (Submissions may run side by side: the clock only ever moves forward.)
        lock (factory.Clock)
        {
            var real = DateTimeOffset.UtcNow;
            if (real > Now)
            {
                factory.Clock.SetUtcNow(real);
            }
        }

        var request = new HttpRequestMessage(HttpMethod.Post, "/api/referrals")
        {
            Content = new StringContent((form ?? Form()).ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(ReferralApi.IdempotencyKeyHeader, Guid.NewGuid().ToString());
        var response = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var reference = (await response.Content.ReadFromJsonAsync<ReferralReceipt>())!.Reference;

        // Intake answers once the form is stored and the orchestration started; a host that has
        // just started may take longer than intake waits to take its first step.
        await EventuallyAsync(async () => (await GetAsync($"/api/referrals/{reference}", StaffActor.Manager)).IsSuccessStatusCode, $"{reference} received", TimeSpan.FromSeconds(60));

        // The staff views read the case board, which the first step's effects bring up to date.
        await EventuallyAsync(
            async () => (await GetOkAsync<List<QueueItem>>("/api/staff/triage-queue", StaffActor.Manager)).Any(q => q.Reference == reference),
            $"{reference} on the triage queue",
            TimeSpan.FromSeconds(60));
        return reference;
    }

    /// <summary>POST /api/referrals/{reference}/{action} as <paramref name="actor"/>.</summary>
    public Task<HttpResponseMessage> SendAsync(string reference, string action, StaffActor actor, JsonNode? body = null, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/referrals/{reference}/{action}")
        {
            Content = new StringContent(body?.ToJsonString() ?? string.Empty, Encoding.UTF8, "application/json"),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.Add(ReferralApi.IdempotencyKeyHeader, idempotencyKey);
        }

        return Client.SendAsync(With(request, actor));
    }

    /// <summary>The access code the referrer of <paramref name="reference"/> was shown on submission.</summary>
    public string AccessCode(string reference) => Service<AccessCodes>().For(reference);

    /// <summary>POST /api/referrals/{reference}/status/{action} with <paramref name="code"/> (the referral's own by default) and no staff identity.</summary>
    public Task<HttpResponseMessage> ReferrerSendAsync(string reference, string action, JsonNode? body = null, string? code = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/referrals/{reference}/status/{action}")
        {
            Content = new StringContent(body?.ToJsonString() ?? string.Empty, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(ReferralApi.AccessCodeHeader, code ?? AccessCode(reference));
        return Client.SendAsync(request);
    }

    /// <summary>A referrer's action that must succeed; returns the status the referrer sees after it.</summary>
    public async Task<ReferralStatusView> ReferrerAsync(string reference, string action, JsonNode? body = null)
    {
        var response = await ReferrerSendAsync(reference, action, body);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"referrer's {action} on {reference}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<ReferralStatusView>(Json))!;
    }

    /// <summary>PUT /api/referrals/{reference}/contact-channel as <paramref name="actor"/>.</summary>
    public Task<HttpResponseMessage> PutContactChannelAsync(string reference, StaffActor actor, JsonNode body)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/referrals/{reference}/contact-channel")
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        return Client.SendAsync(With(request, actor));
    }

    /// <summary>Drives a referral to an active case whose young person gave a safe email address, and closes it after support.</summary>
    public async Task<string> CloseAfterSupportAsync(string? safeEmail = "yp.safe@example.org")
    {
        var reference = await SubmitAsync(Form());
        var active = await ActivateAsync(reference);
        var holder = StaffActor.Practitioner(active.PractitionerId!);
        if (safeEmail is not null)
        {
            var response = await PutContactChannelAsync(reference, holder, new JsonObject { ["channel"] = "email", ["address"] = safeEmail, ["markedSafe"] = true });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await CommandAsync(reference, "close", holder, Closure());
        return reference;
    }

    /// <summary>A command that must succeed; returns the referral's view after it.</summary>
    public async Task<ReferralView> CommandAsync(string reference, string action, StaffActor actor, JsonNode? body = null, string? idempotencyKey = null)
    {
        var response = await SendAsync(reference, action, actor, body, idempotencyKey);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{action} on {reference} as {actor.Role}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<ReferralView>(Json))!;
    }

    public async Task<ReferralView> AcceptAsync(string reference) => await CommandAsync(reference, "accept", StaffActor.Manager);

    /// <summary>Accepts, so the referral is allocated to the region's practitioner, and records a consenting first contact.</summary>
    public async Task<ReferralView> ActivateAsync(string reference, StaffActor? practitioner = null)
    {
        var accepted = await AcceptAsync(reference);
        Assert.Equal("Allocated", accepted.Stage);
        var holder = practitioner ?? StaffActor.Practitioner(accepted.PractitionerId!);
        return await CommandAsync(reference, "first-contact", holder, new JsonObject { ["contactedAt"] = Now, ["consent"] = true });
    }

    public Task<HttpResponseMessage> GetAsync(string path, StaffActor actor) =>
        Client.SendAsync(With(new HttpRequestMessage(HttpMethod.Get, path), actor));

    public async Task<T> GetOkAsync<T>(string path, StaffActor? actor = null)
    {
        var response = await GetAsync(path, actor ?? StaffActor.Manager);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<T>(Json))!;
    }

    public Task<ReferralView> ViewAsync(string reference, StaffActor? actor = null) => GetOkAsync<ReferralView>($"/api/referrals/{reference}", actor);

    public Task<List<Step>> TimelineAsync(string reference, StaffActor? actor = null) => GetOkAsync<List<Step>>($"/api/referrals/{reference}/timeline", actor);

    public Task<List<Sent>> NotificationsAsync(string reference) => GetOkAsync<List<Sent>>($"/api/staff/notifications?reference={Uri.EscapeDataString(reference)}");

    /// <summary>The notifications of <paramref name="kind"/> sent about <paramref name="reference"/>.</summary>
    public async Task<List<Sent>> NotificationsAsync(string reference, NotificationKind kind) =>
        [.. (await NotificationsAsync(reference)).Where(n => n.Kind == kind.ToString())];

    /// <summary>
    /// Waits until <paramref name="condition"/> holds, reading it every 100 ms, for at most
    /// <paramref name="within"/> (20 s by default): the orchestrations carry out effects and fire
    /// timers on their own, in real time. Fails with <paramref name="what"/> when it never holds.
    /// </summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, TimeSpan? within = null)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(waited.Elapsed < (within ?? TimeSpan.FromSeconds(20)), $"Never happened: {what}");
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// Waits in real time until <paramref name="moment"/> (an orchestration's time, which is real
    /// time) has passed: for what must not happen, wait past when it would have come, then look.
    /// </summary>
    public static async Task PastAsync(DateTimeOffset moment)
    {
        var left = moment - DateTimeOffset.UtcNow;
        if (left > TimeSpan.Zero)
        {
            await Task.Delay(left);
        }
    }

    /// <summary>
    /// Checks that <paramref name="reference"/> has sent nothing of <paramref name="kind"/> just
    /// before <paramref name="due"/>. A read that ended after the due time proves nothing either way
    /// (the test thread ran late), so it is only counted when it ended in time.
    /// </summary>
    public async Task NothingYetAsync(string reference, NotificationKind kind, DateTimeOffset due)
    {
        await PastAsync(due - TimeSpan.FromMilliseconds(400));
        var sent = await NotificationsAsync(reference, kind);
        if (DateTimeOffset.UtcNow < due)
        {
            Assert.Empty(sent);
        }
    }

    /// <summary>
    /// Waits until the referral just submitted through <paramref name="client"/> has taken its first
    /// step (intake answers once the form is stored and the orchestration started; the step follows).
    /// </summary>
    public static Task ReceivedAsync(HttpClient client, string reference) => EventuallyAsync(
        async () =>
        {
            using var view = new HttpRequestMessage(HttpMethod.Get, $"/api/referrals/{reference}");
            view.Headers.Add("X-Actor-Id", StaffActor.Manager.Id);
            view.Headers.Add("X-Actor-Role", StaffActor.Manager.Role);
            return (await client.SendAsync(view)).IsSuccessStatusCode;
        },
        $"{reference} received",
        TimeSpan.FromSeconds(60));

    /// <summary>Waits until <paramref name="reference"/> has sent <paramref name="count"/> notifications of <paramref name="kind"/>; returns them.</summary>
    public async Task<List<Sent>> NotifiedAsync(string reference, NotificationKind kind, int count = 1, TimeSpan? within = null)
    {
        List<Sent> sent = [];
        await EventuallyAsync(async () => (sent = await NotificationsAsync(reference, kind)).Count >= count, $"{count} {kind} about {reference}", within);
        return sent;
    }

    /// <summary>Puts a practitioner's record as the manager would.</summary>
    public async Task PutPractitionerAsync(string id, string region, int capacity, bool active = true)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/staff/practitioners/{id}")
        {
            Content = JsonContent.Create(new { displayName = "Practitioner " + id, regions = new[] { region }, capacity, active }),
        };
        var response = await Client.SendAsync(With(request, StaffActor.Manager));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>Reads a problem response, checking it is problem details with <paramref name="status"/>.</summary>
    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonSerializer.Deserialize<JsonElement>(text);
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem;
    }

    private static HttpRequestMessage With(HttpRequestMessage request, StaffActor actor)
    {
        request.Headers.Add("X-Actor-Id", actor.Id);
        request.Headers.Add("X-Actor-Role", actor.Role);
        return request;
    }
}
