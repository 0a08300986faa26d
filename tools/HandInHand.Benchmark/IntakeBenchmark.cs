using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using HandInHand.Domain.Referrals;

namespace HandInHand.Benchmark;

/// <summary>A throughput measurement: how many operations succeeded in how long, with their latencies.</summary>
internal sealed record Throughput(int Succeeded, int Failed, TimeSpan Elapsed, Samples Latency)
{
    public double PerSecond => Succeeded / Elapsed.TotalSeconds;
}

/// <summary>
/// Intake through the real host (POST /api/referrals), and its baseline: single-entity inserts
/// into the same Azurite through Azure.Data.Tables' own <see cref="TableClient"/> (no guard of ours
/// in between), the most this set-up can do per request.
/// </summary>
internal static class IntakeBenchmark
{
    private const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary><paramref name="workers"/> concurrent inserters for <paramref name="duration"/>, each entity in a partition of its own (as each referral is).</summary>
    public static async Task<Throughput> RawInsertsAsync(string connectionString, string tablePrefix, int workers, TimeSpan duration)
    {
        var table = new TableClient(connectionString, tablePrefix + "RawInserts");
        await table.CreateIfNotExistsAsync();
        var padding = new string('x', 600);
        var latency = new Samples();
        var failed = 0;
        var started = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            for (var n = 0; started.Elapsed < duration; n++)
            {
                var entity = new TableEntity($"raw-{w:D3}-{n:D7}", "state")
                {
                    ["Version"] = 1L,
                    ["Stage"] = "Received",
                    ["ReceivedAt"] = DateTimeOffset.UtcNow,
                    ["State"] = padding,
                };
                var t = Stopwatch.GetTimestamp();
                try
                {
                    await table.AddEntityAsync(entity);
                    latency.AddTicks(t);
                }
                catch (RequestFailedException)
                {
                    Interlocked.Increment(ref failed);
                }
            }
        })));
        return new Throughput(latency.Count, failed, started.Elapsed, latency);
    }

    /// <summary>
    /// The point-read baseline: <paramref name="workers"/> concurrent reads by partition and row key
    /// of the entities <see cref="RawInsertsAsync"/> wrote (the first hundred of each inserter), for
    /// <paramref name="duration"/>. A command's round trip reads and writes several rows; this is one.
    /// </summary>
    public static async Task<Throughput> PointReadsAsync(string connectionString, string tablePrefix, int workers, TimeSpan duration)
    {
        var table = new TableClient(connectionString, tablePrefix + "RawInserts");
        var latency = new Samples();
        var failed = 0;
        var started = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            for (var n = 0; started.Elapsed < duration; n++)
            {
                var t = Stopwatch.GetTimestamp();
                try
                {
                    var read = await table.GetEntityIfExistsAsync<TableEntity>($"raw-{w:D3}-{n % 100:D7}", "state");
                    if (read.HasValue)
                    {
                        latency.AddTicks(t);
                    }
                    else
                    {
                        Interlocked.Increment(ref failed);
                    }
                }
                catch (RequestFailedException)
                {
                    Interlocked.Increment(ref failed);
                }
            }
        })));
        return new Throughput(latency.Count, failed, started.Elapsed, latency);
    }

    /// <summary><paramref name="workers"/> concurrent referrers for <paramref name="duration"/>, after a short warm-up that is not counted.</summary>
    public static async Task<Throughput> IntakeAsync(Uri host, int workers, TimeSpan duration, int seed)
    {
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = workers * 2 }) { BaseAddress = host, Timeout = TimeSpan.FromSeconds(60) };
        var warmUp = new Random(seed);
        for (var i = 0; i < 20; i++)
        {
            await SubmitAsync(client, warmUp);
        }

        var latency = new Samples();
        var failed = 0;
        var started = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            var random = new Random(seed + 1 + w);
            while (started.Elapsed < duration)
            {
                var t = Stopwatch.GetTimestamp();
                if ((await SubmitAsync(client, random)).Status == HttpStatusCode.Created)
                {
                    latency.AddTicks(t);
                }
                else
                {
                    Interlocked.Increment(ref failed);
                }
            }
        })));
        return new Throughput(latency.Count, failed, started.Elapsed, latency);
    }

    /// <summary>Submits one made-up referral; the status and, when it was created, its reference.</summary>
    public static async Task<(HttpStatusCode Status, string? Reference)> SubmitAsync(HttpClient client, Random random)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("api/referrals", UriKind.Relative));
        request.Headers.Add(IdempotencyKeyHeader, Guid.NewGuid().ToString());
        request.Content = new StringContent(Form(random).ToJsonString(), Encoding.UTF8, "application/json");
        try
        {
            using var response = await client.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.Created)
            {
                return (response.StatusCode, null);
            }

            var receipt = JsonNode.Parse(await response.Content.ReadAsStringAsync());
            return (response.StatusCode, receipt?["reference"]?.GetValue<string>());
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return (HttpStatusCode.ServiceUnavailable, null);
        }
    }

    /// <summary>A valid form with made-up details, different each time so that no two look like the same young person.</summary>
    private static JsonObject Form(Random random)
    {
        var regions = IntakePolicy.DefaultRegions;
        string Name(int length) => string.Concat(Enumerable.Range(0, length).Select(i => (char)((i == 0 ? 'A' : 'a') + random.Next(26))));
        return new JsonObject
        {
            ["youngPerson"] = new JsonObject
            {
                ["firstName"] = Name(7),
                ["lastName"] = Name(9),
                ["dateOfBirth"] = new DateOnly(2010, 1, 1).AddDays(random.Next(1500)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                ["gender"] = random.Next(2) == 0 ? "female" : "male",
                ["ethnicity"] = "white",
                ["region"] = regions[random.Next(regions.Count)],
                ["schoolOrSetting"] = "Example Academy",
                ["safeContact"] = "Through the social worker on weekdays",
            },
            ["concerns"] = new JsonArray("cse", "online-grooming"),
            ["concernDetails"] = "Contact with older adults online",
            ["riskLevel"] = new[] { "high", "medium", "standard" }[random.Next(3)],
            ["youngPersonKnowsAboutReferral"] = true,
            ["youngPersonAgreesToReferral"] = true,
            ["referrer"] = new JsonObject
            {
                ["name"] = "Sam Worker",
                ["organisation"] = "Children's Social Care",
                ["type"] = "social-care",
                ["email"] = "sam.worker@example.org",
                ["phone"] = "01904 555123",
            },
        };
    }
}
