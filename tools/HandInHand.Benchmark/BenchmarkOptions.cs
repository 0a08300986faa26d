using System.Globalization;

namespace HandInHand.Benchmark;

/// <summary>The benchmark's settings, from <c>--name value</c> arguments; the defaults are the sizes the issue asks for.</summary>
internal sealed record BenchmarkOptions
{
    public const string StorageVariable = "HANDINHAND_BENCH_STORAGE";

    public required string ConnectionString { get; init; }

    /// <summary>Open referrals at the largest size (the tick is also timed at 1,000 and 10,000).</summary>
    public int Referrals { get; init; } = 100_000;

    /// <summary>Timers due in the same minute for the lag measurement.</summary>
    public int DueTimers { get; init; } = 10_000;

    /// <summary>Seconds of intake load (and of the raw-insert baseline).</summary>
    public int IntakeSeconds { get; init; } = 20;

    /// <summary>Requests in flight during the intake load and the baseline.</summary>
    public int Workers { get; init; } = 8;

    /// <summary>Transactions in flight while loading referrals.</summary>
    public int LoadWorkers { get; init; } = 16;

    /// <summary>Longest wait for the due timers to be worked off.</summary>
    public int LagTimeoutSeconds { get; init; } = 1800;

    public string Output { get; init; } = "artifacts/bench/bench.json";

    public static BenchmarkOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Unexpected argument '{args[i]}'. Use --referrals N --due-timers N --intake-seconds N --workers N --load-workers N --lag-timeout-seconds N --out PATH.");
            }

            values[args[i][2..]] = args[++i];
        }

        int Int(string name, int fallback) => values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var options = new BenchmarkOptions
        {
            ConnectionString = Environment.GetEnvironmentVariable(StorageVariable)
                ?? throw new InvalidOperationException($"{StorageVariable} is not set: run ./scripts/bench.sh, which starts Azurite and sets it."),
            Referrals = Int("referrals", 100_000),
            DueTimers = Int("due-timers", 10_000),
            IntakeSeconds = Int("intake-seconds", 20),
            Workers = Int("workers", 8),
            LoadWorkers = Int("load-workers", 16),
            LagTimeoutSeconds = Int("lag-timeout-seconds", 1800),
            Output = values.GetValueOrDefault("out", "artifacts/bench/bench.json"),
        };
        if (options.DueTimers + 300 > options.Referrals)
        {
            throw new ArgumentException("--referrals must exceed --due-timers by at least 300 (the tick measurements' own due timers).");
        }

        return options;
    }
}
