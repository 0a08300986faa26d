using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HandInHand.Host.Referrals;
using HandInHand.Host.Tests.Referrals;
using HandInHand.Host.Tests.Support;
using HandInHand.Host.Web;

namespace HandInHand.Host.Tests.Resilience;

/// <summary>What the load driver saw acknowledged: the referrals and, per referral, the commands that got a 2xx.</summary>
internal sealed class Acknowledgements
{
    public ConcurrentDictionary<string, ConcurrentBag<string>> Commands { get; } = new(StringComparer.Ordinal);

    public void Add(string reference, string command) => Commands.GetOrAdd(reference, _ => []).Add(command);
}

/// <summary>
/// Drives mixed lifecycle traffic at one or more hosts: referrals, triage, first contacts, reviews
/// and closures, each request retried with the same idempotency key until it is answered, as a
/// careful client would while hosts die and come back.
/// </summary>
internal sealed class LifecycleLoad(IReadOnlyList<HostProcess> hosts, int seed)
{
    private static readonly string[] Regions = ["City of York", "Selby", "Craven and Harrogate"];
    private static readonly string[] Risks = ["high", "medium", "standard"];

    public Acknowledgements Acknowledged { get; } = new();

    public int Requests => _requests;

    /// <summary>Requests answered with a refusal (4xx other than 429): the journey stops there.</summary>
    public int Refused => _refused;

    /// <summary>Commands answered 202 (still queued when the host stopped waiting), whose outcome the load then read from the status address.</summary>
    public int Queued => _queued;

    private int _requests;
    private int _refused;
    private int _queued;

    /// <summary>Runs <paramref name="workers"/> referral journeys at a time until <paramref name="until"/>.</summary>
    public async Task RunAsync(DateTime until, int workers)
    {
        var tasks = Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            var random = new Random(seed * 1000 + w);
            var n = 0;
            while (DateTime.UtcNow < until)
            {
                await JourneyAsync(random, $"w{w}-{n++}", until.AddSeconds(30));
            }
        }));
        await Task.WhenAll(tasks);
    }

    private async Task JourneyAsync(Random random, string name, DateTime giveUpAt)
    {
        var body = Submissions.Valid(firstName: "Load" + name.Replace("-", "x", StringComparison.Ordinal), lastName: "Person")
            .With("youngPerson.region", Regions[random.Next(Regions.Length)])
            .With("riskLevel", Risks[random.Next(Risks.Length)])
            .With("youngPerson.phone", null);
        var created = await SendAsync(random, HttpMethod.Post, "api/referrals", body, null, giveUpAt);
        if (created is null)
        {
            return;
        }

        var reference = created.Value.GetProperty("reference").GetString()!;
        Acknowledged.Add(reference, "Received");
        var manager = ("manager-1", "manager");
        if (random.Next(10) == 0)
        {
            if (await SendAsync(random, HttpMethod.Post, $"api/referrals/{reference}/decline", new { reason = "Outside criteria", category = "criteria" }, manager, giveUpAt) is not null)
            {
                Acknowledged.Add(reference, "Declined");
            }

            return;
        }

        var accepted = await SendAsync(random, HttpMethod.Post, $"api/referrals/{reference}/accept", new { }, manager, giveUpAt);
        if (accepted is null)
        {
            return;
        }

        Acknowledged.Add(reference, "Accepted");
        var view = await SendAsync(random, HttpMethod.Get, $"api/referrals/{reference}", null, manager, giveUpAt);
        var practitioner = view?.GetProperty("practitionerId").GetString();
        if (practitioner is null || random.Next(4) == 0)
        {
            return; // waiting list, or left for the first-contact timers to escalate
        }

        var worker = (practitioner, "practitioner");
        await Task.Delay(random.Next(0, 1500));
        if (await SendAsync(random, HttpMethod.Post, $"api/referrals/{reference}/first-contact", new { consent = random.Next(8) != 0 }, worker, giveUpAt) is { } contact)
        {
            Acknowledged.Add(reference, "FirstContactRecorded");
            if (contact.GetProperty("stage").GetString() == "Active" && random.Next(2) == 0)
            {
                await Task.Delay(random.Next(0, 1500));
                var wheel = HandInHand.Domain.Lifecycle.LifecycleSettings.DefaultMyWheelDomains.ToDictionary(d => d, _ => random.Next(1, 11));
                if (await SendAsync(random, HttpMethod.Post, $"api/referrals/{reference}/close", new { reason = "Support completed", finalMyWheel = wheel, riskLevel = "medium" }, worker, giveUpAt) is not null)
                {
                    Acknowledged.Add(reference, "Closed");
                }
            }
        }
    }

    /// <summary>Sends until answered (same idempotency key every time); null when refused or given up.</summary>
    private async Task<JsonElement?> SendAsync(Random random, HttpMethod method, string path, object? body, (string Id, string Role)? actor, DateTime giveUpAt)
    {
        var key = Guid.NewGuid().ToString();
        while (DateTime.UtcNow < giveUpAt)
        {
            var host = hosts[random.Next(hosts.Count)];
            using var client = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
            using var request = new HttpRequestMessage(method, path);
            request.Headers.Add(ReferralApi.IdempotencyKeyHeader, key);
            if (actor is { } a)
            {
                request.Headers.Add(ActorHeaders.IdHeader, a.Id);
                request.Headers.Add(ActorHeaders.RoleHeader, a.Role);
            }

            if (body is not null)
            {
                request.Content = JsonContent.Create(body, options: JsonSerializerOptions.Web);
            }

            try
            {
                Interlocked.Increment(ref _requests);
                using var response = await client.SendAsync(request);
                if (response.StatusCode == HttpStatusCode.Accepted && response.Headers.Location is { } status)
                {
                    // Queued, not yet decided: the answer is at the status address, wherever the
                    // command ends up being decided (this host may die meanwhile).
                    Interlocked.Increment(ref _queued);
                    method = HttpMethod.Get;
                    path = status.OriginalString.TrimStart('/');
                    body = null;
                    await Task.Delay(500);
                    continue;
                }

                if (response.IsSuccessStatusCode)
                {
                    return await response.Content.ReadFromJsonAsync<JsonElement>();
                }

                if (response.StatusCode is not (HttpStatusCode.ServiceUnavailable or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway or HttpStatusCode.TooManyRequests))
                {
                    Interlocked.Increment(ref _refused);
                    return null;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
            {
                // The host is down or died mid-request: wait and send the same request again.
            }

            await Task.Delay(200);
        }

        return null;
    }
}
