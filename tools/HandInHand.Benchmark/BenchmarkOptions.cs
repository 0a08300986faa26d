using System.Globalization;

namespace HandInHand.Benchmark;

/// <summary>The benchmark's settings, from <c>--name value</c> arguments; the defaults are the sizes issue 16 asks for.</summary>
internal sealed record BenchmarkOptions
{
    public const string StorageVariable = "HANDINHAND_BENCH_STORAGE";

    private const string Usage = "Use --referrals N --due-timers N --commands N --intake-seconds N --workers N --load-workers N --timer-delay-seconds N --lag-timeout-seconds N --host KEY=VALUE (repeatable) --out PATH.";

    public required string ConnectionString { get; init; }

    /// <summary>Open referrals submitted through intake (real orchestrations), timed as orchestrations started and completed per second; the reports are seeded at this size too.</summary>
    public int Referrals { get; init; } = 10_000;

    /// <summary>Open referrals whose information-reminder timer is set to fall due within one minute, for the lag measurement.</summary>
    public int DueTimers { get; init; } = 1_000;

    /// <summary>Open referrals that are accepted and then get a first contact, each command timed at the HTTP client.</summary>
    public int Commands { get; init; } = 200;

    /// <summary>Seconds of intake load (and of the raw-insert baseline).</summary>
    public int IntakeSeconds { get; init; } = 20;

    /// <summary>Requests in flight during the intake load, the baselines and the command round trips.</summary>
    public int Workers { get; init; } = 8;

    /// <summary>Submissions in flight while the open referrals are submitted.</summary>
    public int LoadWorkers { get; init; } = 16;

    /// <summary>
    /// How long after its information request a cohort referral's reminder falls due (the host's
    /// <c>Lifecycle:InformationReminderAfter</c>). The requests are paced over one minute, so this
    /// must exceed 60 s for the timers to fall due after the last request, in a quiet minute.
    /// </summary>
    public int TimerDelaySeconds { get; init; } = 90;

    /// <summary>Longest wait, after the last timer fell due, for the reminders to be recorded.</summary>
    public int LagTimeoutSeconds { get; init; } = 600;

    /// <summary>Extra host settings (environment variables such as <c>Orchestration__PartitionCount=8</c>), for tuning runs.</summary>
    public IReadOnlyDictionary<string, string> HostSettings { get; init; } = new Dictionary<string, string>();

    public string Output { get; init; } = "artifacts/bench/bench.json";

    public static BenchmarkOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var host = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Unexpected argument '{args[i]}'. {Usage}");
            }

            var name = args[i][2..];
            var value = args[++i];
            if (name == "host")
            {
                var equals = value.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    throw new ArgumentException($"--host takes KEY=VALUE, not '{value}'.");
                }

                host[value[..equals]] = value[(equals + 1)..];
            }
            else
            {
                values[name] = value;
            }
        }

        int Int(string name, int fallback) => values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var options = new BenchmarkOptions
        {
            ConnectionString = Environment.GetEnvironmentVariable(StorageVariable)
                ?? throw new InvalidOperationException($"{StorageVariable} is not set: run ./scripts/bench.sh, which starts Azurite and sets it."),
            Referrals = Int("referrals", 10_000),
            DueTimers = Int("due-timers", 1_000),
            Commands = Int("commands", 200),
            IntakeSeconds = Int("intake-seconds", 20),
            Workers = Int("workers", 8),
            LoadWorkers = Int("load-workers", 16),
            TimerDelaySeconds = Int("timer-delay-seconds", 90),
            LagTimeoutSeconds = Int("lag-timeout-seconds", 600),
            HostSettings = host,
            Output = values.GetValueOrDefault("out", "artifacts/bench/bench.json"),
        };
        if (options.DueTimers < 1 || options.Commands < 1 || options.DueTimers + options.Commands > options.Referrals)
        {
            throw new ArgumentException("--due-timers and --commands must be at least 1, and together at most --referrals (both are taken from the open referrals).");
        }

        if (options.TimerDelaySeconds <= 60)
        {
            throw new ArgumentException("--timer-delay-seconds must exceed 60: the information requests are spread over one minute, and the timers should fall due after the last.");
        }

        return options;
    }
}
