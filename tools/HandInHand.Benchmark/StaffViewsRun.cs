using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using HandInHand.Domain.Lifecycle;
using HandInHand.Infrastructure.Notifications;
using HandInHand.Infrastructure.Workflow;

namespace HandInHand.Benchmark;

/// <summary>One staff view as staff get it: a request to the host, by whom; <paramref name="NewDay"/>: each request finds no digest of the day sent yet.</summary>
internal sealed record StaffView(string Name, HttpMethod Method, string Path, string Role, string ActorId, string Reads, bool NewDay = false);

/// <summary>One timing: a view's or a baseline's p50 and p99 over the samples, and the rows it shows.</summary>
internal sealed record ViewTiming(string Name, string Reads, int Rows, double P50, double P99, string? Baseline, double? BaselineP50, double? Ratio);

/// <summary>The timings at one size of the board.</summary>
internal sealed record StaffViewsSize(int Referrals, int Open, IReadOnlyDictionary<string, int> OpenByStage, double SeedSeconds, double PointReadP50, double PointReadP99, IReadOnlyList<ViewTiming> Baselines, IReadOnlyList<ViewTiming> Views);

/// <summary>
/// The staff views benchmark (issue 14): the case board is loaded to each size in turn, and every
/// staff view that lists referrals is timed through the real host over HTTP, both the JSON API and
/// the page, against a partition query and a point read through <see cref="TableClient"/> in the
/// same run. A view should take at most three times one partition query of a view partition with
/// about as many rows as the view shows.
/// </summary>
internal static class StaffViewsRun
{
    public const double Goal = 3.0;

    // Requests before a view's (or a baseline's) samples: past the runtime's tiering threshold (a
    // method called 30 times is compiled again, optimised), so that the first size is timed on the
    // same code as the later ones, as a long-running host serves it, rather than on start-up code.
    private const int WarmUp = 30;

    // A pause after each seeding, before any timing: the seeding is thousands of writes at once, and
    // the emulator's and the host's clean-up after it (garbage collection, compilation in the
    // background) is not what a view costs in a steady state.
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(10);

    private const string Admin = "admin";
    private const string Panel = "panel";

    public static IReadOnlyList<StaffView> Views { get; } =
    [
        new("triage queue, API", HttpMethod.Get, "api/staff/triage-queue", StaffRequests.Manager, "bench-manager", "2 stage partitions"),
        new("triage queue, page", HttpMethod.Get, "staff/triage", StaffRequests.Manager, "bench-manager", "2 stage partitions"),
        new("panel queue, page", HttpMethod.Get, "staff/panel", Panel, "bench-panel", "the panel partition"),
        new("my cases, page", HttpMethod.Get, "staff/cases", StaffRequests.Practitioner, StaffViewsBoard.PractitionerId(0), "1 holder partition"),
        new("due and overdue, API", HttpMethod.Get, "api/staff/due", StaffRequests.Manager, "bench-manager", "the due partition, one range of row keys"),
        new("waiting list, API (manager)", HttpMethod.Get, "api/staff/waiting-list", StaffRequests.Manager, "bench-manager", "waiting-list index"),
        new("waiting list, API (panel)", HttpMethod.Get, "api/staff/waiting-list", Panel, "bench-panel", "the panel partition's waiting range"),
        new("waiting list, page", HttpMethod.Get, "staff/waiting-list", StaffRequests.Manager, "bench-manager", "1 stage partition (the cards)"),
        new("caseloads, API", HttpMethod.Get, "api/staff/caseloads", StaffRequests.Manager, "bench-manager", "the whole ledger in one query (places and practitioner rows)"),
        new("caseloads, page", HttpMethod.Get, "staff/practitioners", StaffRequests.Manager, "bench-manager", "the ledger's practitioner rows (entry and count, one range)"),
        new("dashboard, page", HttpMethod.Get, "staff/dashboard", StaffRequests.Manager, "bench-manager", "due, triage, waiting list, the ledger's practitioner rows"),
        new("practitioners, API (not a referral view: the same range through the host, for comparison)", HttpMethod.Get, "api/staff/practitioners", StaffRequests.Manager, "bench-manager", "the ledger's practitioner rows (one range)"),
        new("digests, the day's first run (composes and sends the manager's digest)", HttpMethod.Post, "api/digests/run", Admin, "bench-admin", "the day's digest rows, the attention view up to the review look-ahead (one range); writes the manager's row twice (Sending, then Sent with the day's finished mark), one email", NewDay: true),
        new("digests, a later run the same day (the timer's other 11 runs in its window)", HttpMethod.Post, "api/digests/run", Admin, "bench-admin", "the day's digest rows"),
    ];

    public static async Task<int> MainAsync(string[] args)
    {
        var sizes = new List<int>();
        var output = "artifacts/bench/staff-views.json";
        var samples = 20;
        var uncapped = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--staff-views" when i + 1 < args.Length:
                    sizes.AddRange(args[++i].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)));
                    break;
                case "--uncapped":
                    uncapped = true;
                    break;
                case "--samples" when i + 1 < args.Length:
                    samples = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--out" when i + 1 < args.Length:
                    output = args[++i];
                    break;
                default:
                    throw new ArgumentException($"Unexpected argument '{args[i]}'. Use --staff-views N,N,... [--samples N] [--uncapped] [--out PATH].");
            }
        }

        if (sizes.Count == 0 || sizes.Any(s => s < 100) || !sizes.SequenceEqual(sizes.Order()))
        {
            throw new ArgumentException("--staff-views takes growing sizes of at least 100, e.g. 1000,10000,100000.");
        }

        var connection = Environment.GetEnvironmentVariable(BenchmarkOptions.StorageVariable)
            ?? throw new InvalidOperationException($"{BenchmarkOptions.StorageVariable} is not set: run ./scripts/bench.sh, which starts Azurite and sets it.");
        var started = DateTimeOffset.UtcNow;
        var results = await RunAsync(connection, sizes, samples, uncapped);
        Console.Out.Write(Markdown(results, samples));
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        var json = new JsonObject
        {
            ["startedAt"] = started,
            ["finishedAt"] = DateTimeOffset.UtcNow,
            ["azurite"] = Environment.GetEnvironmentVariable("HANDINHAND_BENCH_AZURITE"),
            ["samples"] = samples,
            ["uncapped"] = uncapped,
            ["goal"] = Goal,
            ["sizes"] = JsonSerializer.SerializeToNode(results),
        };
        await File.WriteAllTextAsync(output, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        await File.WriteAllTextAsync(Path.ChangeExtension(output, ".md"), Markdown(results, samples));
        Console.Error.WriteLine($"[bench] wrote {output}");
        return 0;
    }

    private static async Task<IReadOnlyList<StaffViewsSize>> RunAsync(string connection, IReadOnlyList<int> sizes, int samples, bool uncapped)
    {
        var run = "v" + Guid.NewGuid().ToString("N")[..8];
        var mailbox = Path.Combine(Path.GetTempPath(), "handinhand-bench-" + run);
        var results = new List<StaffViewsSize>();
        try
        {
            await using var engine = await Engine.CreateAsync(connection, run, Path.Combine(mailbox, "engine"));
            var now = DateTimeOffset.UtcNow;
            var directory = engine.Get<PractitionerDirectory>();
            for (var i = 0; i < StaffViewsBoard.Practitioners; i++)
            {
                await directory.SaveAsync(new Practitioner(StaffViewsBoard.PractitionerId(i), $"Bench practitioner {i + 1}", [StaffViewsBoard.Regions[i % StaffViewsBoard.Regions.Count]], uncapped ? StaffViewsBoard.UncappedCapacity : StaffViewsBoard.Capacity));
            }

            var table = new TableServiceClient(connection).GetTableClient(run + CaseBoard.TableName);
            var digests = new TableServiceClient(connection).GetTableClient(run + DigestJob.TableName);
            var ledgerTable = new TableServiceClient(connection).GetTableClient(run + WorkflowTables.Caseloads);
            var board = new StaffViewsBoard(table, engine.Get<WaitingListIndex>(), engine.Get<CaseloadLedger>(), now, uncapped);

            Log("starting the host");
            using var host = await HostProcess.StartAsync(new Dictionary<string, string>
            {
                ["Storage__ConnectionString"] = connection,
                ["Storage__TablePrefix"] = run,
                ["Orchestration__TaskHubName"] = run + "hub",
                ["Notifications__DevelopmentMailboxPath"] = Path.Combine(mailbox, "host"),
                ["Digests__Enabled"] = "false",
            });
            using var client = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };

            foreach (var size in sizes)
            {
                Log($"seeding the case board to {size} referrals");
                var seeded = await board.GrowToAsync(size, inFlight: 16);
                Log($"  {size} referrals, {board.OpenTotal} open, in {seeded.TotalSeconds:0.0} s");
                if (results.Count == 0)
                {
                    // A host just started runs start-up code: every view is requested before any is
                    // timed, so that the first view timed is served as the last one is.
                    Log("  warming the host up: every view, untimed");
                    foreach (var view in Views)
                    {
                        await WarmUpAsync(client, digests, view);
                    }
                }

                await Task.Delay(Settle);
                results.Add(await MeasureAsync(client, table, digests, ledgerTable, board, seeded, samples));
            }
        }
        finally
        {
            if (Directory.Exists(mailbox))
            {
                Directory.Delete(mailbox, recursive: true);
            }
        }

        return results;
    }

    private static async Task<StaffViewsSize> MeasureAsync(HttpClient client, TableClient table, TableClient digests, TableClient ledgerTable, StaffViewsBoard board, TimeSpan seeded, int samples)
    {
        // Baselines: the product's own query (live rows, the card column) of each view partition, and a point read.
        var partitions = CaseBoard.OpenStages.Select(s => ("stage|" + s, board.Open[s]))
            .Append(("holder|" + StaffViewsBoard.PractitionerId(0), board.HeldByFirst)).ToList();
        var baselines = new List<ViewTiming>();
        foreach (var (partition, expected) in partitions)
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and Live eq {true}");
            var rows = 0;
            var times = await SampleAsync(samples, async () =>
            {
                rows = 0;
                await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["Card"]))
                {
                    rows++;
                }
            });
            if (rows != expected)
            {
                throw new InvalidOperationException($"{partition} has {rows} live rows, not the {expected} seeded.");
            }

            baselines.Add(new("partition query " + partition, "1 partition", rows, Samples.PercentileOf(times, 50), Samples.PercentileOf(times, 99), null, null, null));
            Log($"  {partition}: {rows} rows, p50 {Samples.Ms(baselines[^1].P50)} ms");
        }

        // What some views read, read directly (not baselines): the due view's range up to the end of
        // today; the day's first digest run's range of the attention view, up to the review look-ahead
        // (what a digest may know of each case, the column it reads); and the caseloads page's one
        // read, the ledger's range of practitioner rows (each an entry and a count, in the partition
        // that also holds every place).
        var endOfDay = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(1), TimeSpan.Zero);
        var lookahead = DateTimeOffset.UtcNow + new DigestOptions().ReviewLookahead;
        await DirectAsync(baselines, "the due view's range, RowKey lt end of day", table,
            TableClient.CreateQueryFilter($"PartitionKey eq {"due"} and RowKey lt {CaseBoard.SortableKey(endOfDay)} and Live eq {true}"), ["Card"], samples);
        var attentionRows = await DirectAsync(baselines, "the digests' range of the attention view, RowKey lt the review look-ahead", table,
            TableClient.CreateQueryFilter($"PartitionKey eq {"attention"} and RowKey lt {CaseBoard.SortableKey(lookahead)} and Live eq {true}"), ["Digest"], samples);
        await DirectAsync(baselines, "the ledger's practitioner rows", ledgerTable,
            TableClient.CreateQueryFilter($"PartitionKey eq {"ledger"} and RowKey ge {"count|"} and RowKey lt {"count}"}"), null, samples);

        var point = await SampleAsync(samples, async () => await table.GetEntityAsync<TableEntity>("ref|HH-2025-000001", "views"));
        Log($"  point read: p50 {Samples.Ms(Samples.PercentileOf(point, 50))} ms");

        // Each view is paired with the partition query whose row count is nearest the rows it shows.
        var plans = new List<(StaffView View, int Rows, string Partition, int PartitionRows, string Filter, List<double> Times, List<double> BaselineTimes)>();
        foreach (var view in Views)
        {
            var body = await WarmUpAsync(client, digests, view);

            // Rows shown: a day's first digest run covers every case a digest can show (the attention
            // view's range it reads); a later run reads only the day's digest rows.
            var rows = view.Method != HttpMethod.Post ? RowsShown(view, body) : view.NewDay ? attentionRows : await CountAsync(digests);
            var (partition, partitionRows) = partitions.MinBy(p => Math.Abs(Math.Log(Math.Max(p.Item2, 1)) - Math.Log(Math.Max(rows, 1))));
            plans.Add((view, rows, partition, partitionRows, TableClient.CreateQueryFilter($"PartitionKey eq {partition} and Live eq {true}"), new List<double>(samples), new List<double>(samples)));
        }

        // The samples are taken in rounds, one of each view per round, each followed by its baseline:
        // a passing disturbance on the shared machine (a collection in the host or the emulator, a
        // compilation in the background) then falls on one sample of many views rather than on most
        // samples of one, and a view and its baseline meet the same load.
        for (var i = 0; i < samples; i++)
        {
            foreach (var plan in plans)
            {
                if (plan.View.NewDay)
                {
                    await ForgetTheDaysDigestsAsync(digests);
                }

                var started = Stopwatch.GetTimestamp();
                await RequestAsync(client, plan.View);
                plan.Times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                started = Stopwatch.GetTimestamp();
                await foreach (var row in table.QueryAsync<TableEntity>(plan.Filter, select: ["Card"]))
                {
                }

                plan.BaselineTimes.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }

        var views = new List<ViewTiming>();
        foreach (var (view, rows, partition, partitionRows, _, times, baselineTimes) in plans)
        {
            var p50 = Samples.PercentileOf(times, 50);
            var baselineP50 = Samples.PercentileOf(baselineTimes, 50);
            views.Add(new(view.Name, view.Reads, rows, p50, Samples.PercentileOf(times, 99), $"{partition} ({partitionRows} rows)", baselineP50, p50 / baselineP50));
            Log($"  {view.Name}: {rows} rows, p50 {Samples.Ms(p50)} ms, {p50 / baselineP50:0.00}x {partition} (p50 {Samples.Ms(baselineP50)} ms)");
        }

        return new StaffViewsSize(board.Referrals, board.OpenTotal, board.Open.ToDictionary(p => p.Key.ToString(), p => p.Value), seeded.TotalSeconds,
            Samples.PercentileOf(point, 50), Samples.PercentileOf(point, 99), baselines, views);
    }

    /// <summary>Rows the view shows: the JSON list's length (the caseloads': the places they list, each a ledger row), or the page's table rows.</summary>
    private static int RowsShown(StaffView view, string body)
    {
        if (view.Path.StartsWith("api/", StringComparison.Ordinal))
        {
            var items = JsonNode.Parse(body)!.AsArray();
            return items.Sum(i => i is JsonObject o && o["references"] is JsonArray places ? places.Count : 1);
        }

        return CountOf(body, "<tr>") + CountOf(body, "<tr ") - CountOf(body, "<thead>");
    }

    /// <summary>One request for <paramref name="view"/> as its staff member makes it; returns the body.</summary>
    private static async Task<string> RequestAsync(HttpClient client, StaffView view)
    {
        using var request = StaffRequests.Get(view.Path, view.ActorId, view.Role);
        request.Method = view.Method;
        if (view.Method == HttpMethod.Post)
        {
            request.Content = new StringContent(string.Empty, Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{view.Name}: {(int)response.StatusCode} {body[..Math.Min(body.Length, 300)]}");
        }

        return body;
    }

    /// <summary><see cref="WarmUp"/> untimed requests for <paramref name="view"/>; returns the last body.</summary>
    private static async Task<string> WarmUpAsync(HttpClient client, TableClient digests, StaffView view)
    {
        var body = string.Empty;
        for (var i = 0; i < WarmUp; i++)
        {
            if (view.NewDay)
            {
                await ForgetTheDaysDigestsAsync(digests);
            }

            body = await RequestAsync(client, view);
        }

        return body;
    }

    /// <summary>Deletes every digest row (untimed), so that the next run is the day's first: it composes and sends the manager's digest again.</summary>
    private static async Task ForgetTheDaysDigestsAsync(TableClient digests)
    {
        await foreach (var row in digests.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"]))
        {
            await digests.DeleteEntityAsync(row.PartitionKey, row.RowKey);
        }
    }

    private static async Task<int> CountAsync(TableClient digests)
    {
        var count = 0;
        await foreach (var row in digests.QueryAsync<TableEntity>(select: ["RowKey"]))
        {
            count++;
        }

        return count;
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    /// <summary>Times one query read directly through <see cref="TableClient"/> and adds it to <paramref name="timings"/>, marked as not a baseline; returns the rows it read.</summary>
    private static async Task<int> DirectAsync(List<ViewTiming> timings, string name, TableClient source, string filter, IEnumerable<string>? select, int samples)
    {
        var rows = 0;
        var times = await SampleAsync(samples, async () =>
        {
            rows = 0;
            await foreach (var row in source.QueryAsync<TableEntity>(filter, select: select))
            {
                rows++;
            }
        });
        timings.Add(new($"partition query {name} (direct, not a baseline)", "1 range", rows, Samples.PercentileOf(times, 50), Samples.PercentileOf(times, 99), null, null, null));
        Log($"  {name}, direct: {rows} rows, p50 {Samples.Ms(timings[^1].P50)} ms");
        return rows;
    }

    private static async Task<List<double>> SampleAsync(int samples, Func<Task> action)
    {
        for (var i = 0; i < WarmUp; i++)
        {
            await action();
        }

        var times = new List<double>(samples);
        for (var i = 0; i < samples; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await action();
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return times;
    }

    public static string Markdown(IReadOnlyList<StaffViewsSize> sizes, int samples)
    {
        var text = new StringBuilder();
        foreach (var size in sizes)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n### {size.Referrals:N0} referrals ({size.Open:N0} open; seeded in {size.SeedSeconds:0} s)\n\n")
                .Append("Open by stage: ").Append(string.Join(", ", size.OpenByStage.Select(p => $"{p.Key} {p.Value}"))).Append(".\n\n")
                .Append(CultureInfo.InvariantCulture, $"Baselines through `TableClient`, {samples} samples after {WarmUp} warm-up: point read p50 {Samples.Ms(size.PointReadP50)} ms, p99 {Samples.Ms(size.PointReadP99)} ms.\n\n")
                .Append("| partition query | rows | p50 ms | p99 ms |\n|---|---:|---:|---:|\n");
            foreach (var b in size.Baselines)
            {
                text.Append(CultureInfo.InvariantCulture, $"| {Cell(b.Name["partition query ".Length..])} | {b.Rows} | {Samples.Ms(b.P50)} | {Samples.Ms(b.P99)} |\n");
            }

            text.Append("\n| view (over HTTP) | reads | rows shown | p50 ms | p99 ms | baseline partition (sampled in turn) | its p50 ms | view/partition p50 | goal ≤ 3 |\n|---|---|---:|---:|---:|---|---:|---:|---|\n");
            foreach (var v in size.Views)
            {
                var met = v.Ratio <= Goal ? "met" : "**missed**";
                text.Append(CultureInfo.InvariantCulture, $"| {v.Name} | {v.Reads} | {v.Rows} | {Samples.Ms(v.P50)} | {Samples.Ms(v.P99)} | {Cell(v.Baseline!)} | {Samples.Ms(v.BaselineP50 ?? double.NaN)} | {v.Ratio:0.00} | {met} |\n");
            }
        }

        return text.ToString();
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);

    private static void Log(string line) => Console.Error.WriteLine("[bench] " + line);
}
