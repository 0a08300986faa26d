using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;

namespace HandInHand.Benchmark;

/// <summary>
/// The orchestration engine through the real host: orchestrations started and completed per second
/// (referrals submitted through intake), staff commands' round trips, and the lag of durable timers
/// that fall due within one minute among all the open orchestrations.
/// </summary>
internal static class OrchestrationBenchmark
{
    private const string ManagerId = "manager-bench";

    /// <summary>How long the first steps may take to be recorded after the last submission was answered.</summary>
    private static readonly TimeSpan CompletionLimit = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Submits <paramref name="count"/> referrals with <paramref name="workers"/> in flight, then reads
    /// each one's state row in <paramref name="referralsTable"/>: its storage timestamp is when the
    /// orchestration's first step was recorded (Azurite runs on this machine's clock).
    /// </summary>
    public static async Task<(OrchestrationRate Rate, IReadOnlyList<string> References)> OpenReferralsAsync(
        Uri host, string connectionString, string referralsTable, int count, int workers, int seed)
    {
        using var client = Client(host, workers);
        var references = new ConcurrentQueue<string>();
        var latency = new Samples();
        var failed = 0;
        var next = -1;
        var firstSubmission = DateTimeOffset.UtcNow;
        var started = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            var random = new Random(seed + w);
            while (Interlocked.Increment(ref next) < count)
            {
                var t = Stopwatch.GetTimestamp();
                var (status, reference) = await IntakeBenchmark.SubmitAsync(client, random);
                if (status == HttpStatusCode.Created && reference is not null)
                {
                    latency.AddTicks(t);
                    references.Enqueue(reference);
                }
                else
                {
                    Interlocked.Increment(ref failed);
                }
            }
        })));
        var startedIn = started.Elapsed;

        var table = new TableClient(connectionString, referralsTable);
        var recorded = new ConcurrentDictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var limit = Stopwatch.StartNew();
        while (recorded.Count < references.Count && limit.Elapsed < CompletionLimit)
        {
            var pending = references.Where(r => !recorded.ContainsKey(r)).ToList();
            await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = workers }, async (reference, cancellationToken) =>
            {
                // The whole row: a $select would leave out the Timestamp, which is the figure read here.
                var row = await table.GetEntityIfExistsAsync<TableEntity>(reference, "state", cancellationToken: cancellationToken);
                if (row.HasValue && row.Value!.Timestamp is { } at)
                {
                    recorded[reference] = at;
                }
            });
            if (recorded.Count < references.Count)
            {
                await Task.Delay(500);
            }
        }

        var completedIn = recorded.IsEmpty ? TimeSpan.Zero : recorded.Values.Max() - firstSubmission;
        var rate = new OrchestrationRate(count, references.Count, recorded.Count, failed, startedIn, completedIn, latency);
        return (rate, [.. references]);
    }

    /// <summary>
    /// Accepts each referral as the manager (the answer already shows the automatic allocation), then
    /// records a consenting first contact as the practitioner it was allocated to; every command is
    /// timed from request to answer at the client, <paramref name="workers"/> referrals at a time.
    /// </summary>
    public static async Task<RoundTrips> CommandsAsync(Uri host, IReadOnlyList<string> references, int workers)
    {
        using var client = Client(host, workers);
        var accept = new Samples();
        var firstContact = new Samples();
        var all = new Samples();
        int acceptFailed = 0, contactFailed = 0, pending = 0;
        var started = Stopwatch.StartNew();
        await Parallel.ForEachAsync(references, new ParallelOptions { MaxDegreeOfParallelism = workers }, async (reference, cancellationToken) =>
        {
            var t = Stopwatch.GetTimestamp();
            var (status, view) = await SendAsync(client, StaffRequests.Command(reference, "accept", ManagerId, StaffRequests.Manager));
            if (status != HttpStatusCode.OK || view?["practitionerId"]?.GetValue<string>() is not { } practitioner)
            {
                Interlocked.Increment(ref acceptFailed);
                Interlocked.Add(ref pending, status == HttpStatusCode.Accepted ? 1 : 0);
                return;
            }

            accept.AddTicks(t);
            all.AddTicks(t);
            var body = new JsonObject { ["contactedAt"] = DateTimeOffset.UtcNow.AddSeconds(-1), ["consent"] = true };
            t = Stopwatch.GetTimestamp();
            (status, _) = await SendAsync(client, StaffRequests.Command(reference, "first-contact", practitioner, StaffRequests.Practitioner, body));
            if (status != HttpStatusCode.OK)
            {
                Interlocked.Increment(ref contactFailed);
                Interlocked.Add(ref pending, status == HttpStatusCode.Accepted ? 1 : 0);
                return;
            }

            firstContact.AddTicks(t);
            all.AddTicks(t);
        });
        var elapsed = started.Elapsed;
        return new RoundTrips(
            new Throughput(all.Count, acceptFailed + contactFailed, elapsed, all),
            new Throughput(accept.Count, acceptFailed, elapsed, accept),
            new Throughput(firstContact.Count, contactFailed, elapsed, firstContact),
            pending);
    }

    /// <summary>
    /// Requests information on each cohort referral as the manager, the requests paced evenly over one
    /// minute, so that their reminders (the host's <c>Lifecycle:InformationReminderAfter</c> later) fall
    /// due within one minute; then reads each referral's notifications until its reminder is recorded.
    /// No other referral holds a timer that falls due during the run.
    /// </summary>
    public static async Task<TimerLag> TimerLagAsync(Uri host, IReadOnlyList<string> cohort, int openReferrals, int workers, TimeSpan lagTimeout)
    {
        using var client = Client(host, workers);
        var due = new ConcurrentDictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var spacing = TimeSpan.FromMinutes(1) / cohort.Count;
        var paced = Stopwatch.StartNew();
        var requests = new List<Task>(cohort.Count);
        for (var i = 0; i < cohort.Count; i++)
        {
            var wait = (spacing * i) - paced.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            var reference = cohort[i];
            requests.Add(Task.Run(async () =>
            {
                var (status, view) = await SendAsync(client, StaffRequests.Command(reference, "request-information", ManagerId, StaffRequests.Manager));
                if (status == HttpStatusCode.OK && ReminderDue(view) is { } at)
                {
                    due[reference] = at;
                }
            }));
        }

        await Task.WhenAll(requests);

        // A request still queued when it was answered (202) has set its timer by now or soon: read it from the referral.
        foreach (var reference in cohort.Where(r => !due.ContainsKey(r)))
        {
            var (status, view) = await SendAsync(client, StaffRequests.Get($"api/referrals/{reference}", ManagerId, StaffRequests.Manager));
            if (status == HttpStatusCode.OK && ReminderDue(view) is { } at)
            {
                due[reference] = at;
            }
        }

        if (due.IsEmpty)
        {
            return new TimerLag(cohort.Count, 0, cohort.Count, new Samples(), TimeSpan.Zero, openReferrals, TimeSpan.Zero);
        }

        // The notifications carry the host's own delivery time, so they are read after the last timer
        // fell due, not during the minute, where the reads would add to the load being measured.
        var lastDue = due.Values.Max();
        var untilLastDue = lastDue - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(2);
        if (untilLastDue > TimeSpan.Zero)
        {
            await Task.Delay(untilLastDue);
        }

        var delivered = new ConcurrentDictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var limit = Stopwatch.StartNew();
        while (delivered.Count < due.Count && limit.Elapsed < lagTimeout)
        {
            var pending = due.Keys.Where(r => !delivered.ContainsKey(r)).ToList();
            await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = workers }, async (reference, cancellationToken) =>
            {
                var (status, list) = await SendAsync(client, StaffRequests.Get($"api/staff/notifications?reference={Uri.EscapeDataString(reference)}", ManagerId, StaffRequests.Manager));
                var reminder = status == HttpStatusCode.OK && list is JsonArray items
                    ? items.FirstOrDefault(n => n?["kind"]?.GetValue<string>() == "InformationReminder")
                    : null;
                if (reminder?["deliveredAt"]?.GetValue<DateTimeOffset>() is { } at)
                {
                    delivered[reference] = at;
                }
            });
            if (delivered.Count < due.Count)
            {
                await Task.Delay(1000);
            }
        }

        var lag = new Samples();
        foreach (var (reference, at) in delivered)
        {
            lag.Add(at - due[reference]);
        }

        var firstDue = due.Values.Min();
        var workedOff = delivered.IsEmpty ? TimeSpan.Zero : delivered.Values.Max() - firstDue;
        return new TimerLag(cohort.Count, delivered.Count, cohort.Count - delivered.Count, lag, lastDue - firstDue, openReferrals, workedOff);
    }

    private static DateTimeOffset? ReminderDue(JsonNode? view)
    {
        if (view?["timers"] is not JsonObject timers)
        {
            return null;
        }

        var reminder = timers.FirstOrDefault(t => string.Equals(t.Key, "InformationReminder", StringComparison.OrdinalIgnoreCase)).Value;
        return reminder is null ? null : DateTimeOffset.Parse(reminder.GetValue<string>(), CultureInfo.InvariantCulture);
    }

    private static HttpClient Client(Uri host, int workers) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = workers * 2 }) { BaseAddress = host, Timeout = TimeSpan.FromSeconds(60) };

    private static async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpClient client, HttpRequestMessage request)
    {
        using (request)
        {
            try
            {
                using var response = await client.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                return (response.StatusCode, response.IsSuccessStatusCode && text.Length > 0 ? JsonNode.Parse(text) : null);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or RequestFailedException)
            {
                return (HttpStatusCode.ServiceUnavailable, null);
            }
        }
    }
}
