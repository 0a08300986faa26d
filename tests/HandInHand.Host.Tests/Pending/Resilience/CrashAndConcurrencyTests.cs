using HandInHand.Host.Tests.Support;
using Xunit.Abstractions;

namespace HandInHand.Host.Tests.Resilience;

/// <summary>
/// The engine's promises under abuse: hosts killed with SIGKILL at random moments, and two hosts
/// on one storage. Short by default (a CI-sized run); <c>HANDINHAND_SOAK_SECONDS</c> and
/// <c>HANDINHAND_SOAK_SEED</c> make a long, reproducible run.
/// </summary>
[Collection(nameof(ResilienceRuns))]
public sealed class CrashAndConcurrencyTests(ITestOutputHelper output)
{
    private static int LoadSeconds => int.TryParse(Environment.GetEnvironmentVariable("HANDINHAND_SOAK_SECONDS"), out var s) ? s : 25;

    private static int Seed => int.TryParse(Environment.GetEnvironmentVariable("HANDINHAND_SOAK_SEED"), out var s) ? s : 20261123;

    /// <summary>Short clocks so timers fire during the run; everything else as configured.</summary>
    private static Dictionary<string, string> Settings(string prefix) => ShortClocks.With(new()
    {
        ["Storage__ConnectionString"] = TestStorage.ConnectionString,
        ["Storage__TablePrefix"] = prefix,
        ["Notifications__DevelopmentMailboxPath"] = Path.Combine(Path.GetTempPath(), "handinhand-mailbox-" + prefix),
    });

    [Fact]
    public async Task KillingTheHostAtRandomMomentsLosesNothingAndRepeatsNothing()
    {
        var prefix = TestStorage.NewTablePrefix();
        using var host = new HostProcess(Settings(prefix));
        await host.StartAsync();
        var load = new LifecycleLoad([host], Seed);
        var until = DateTime.UtcNow.AddSeconds(LoadSeconds);
        var random = new Random(Seed);
        var kills = 0;
        var running = load.RunAsync(until, workers: 6);
        while (DateTime.UtcNow < until)
        {
            await Task.Delay(random.Next(1500, 4000));
            host.Kill();
            kills++;
            await Task.Delay(random.Next(0, 500));
            await host.StartAsync();
        }

        await running;
        var report = await SettleAndCheckAsync(prefix, load);
        output.WriteLine($"seed {Seed}, {LoadSeconds} s, {kills} kills, {load.Requests} requests ({load.Refused} refused), {load.Acknowledged.Commands.Count} referrals, violations: {report.Count}");
        Assert.True(kills > 0);
        Assert.True(load.Acknowledged.Commands.Count > 5, "the load made too few referrals to mean anything");
        Assert.Empty(report);
    }

    [Fact]
    public async Task TwoHostsOnOneStorageNeitherDuplicateNorLoseAnEffect()
    {
        var prefix = TestStorage.NewTablePrefix();
        using var first = new HostProcess(Settings(prefix));
        using var second = new HostProcess(Settings(prefix));
        await Task.WhenAll(first.StartAsync(), second.StartAsync());
        var load = new LifecycleLoad([first, second], Seed + 1);

        await load.RunAsync(DateTime.UtcNow.AddSeconds(Math.Max(10, LoadSeconds / 2)), workers: 8);

        var report = await SettleAndCheckAsync(prefix, load);
        output.WriteLine($"two hosts: {load.Requests} requests ({load.Refused} refused), {load.Acknowledged.Commands.Count} referrals, violations: {report.Count}");
        Assert.True(load.Acknowledged.Commands.Count > 5, "the load made too few referrals to mean anything");
        Assert.Empty(report);
    }

    /// <summary>Lets the surviving hosts fire what is due, then checks every invariant and the commands' implied state.</summary>
    private async Task<IReadOnlyList<string>> SettleAndCheckAsync(string prefix, LifecycleLoad load)
    {
        var invariants = new WorkflowInvariants(TestStorage.ConnectionString, prefix);
        var acknowledged = load.Acknowledged.Commands.Keys.ToList();
        IReadOnlyList<string> violations = [];
        // Every clock in Settings is at most ~14 s after the last step; allow for dispatcher lag.
        for (var attempt = 0; attempt < 30; attempt++)
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            violations = await invariants.CheckAsync(acknowledged, DateTimeOffset.UtcNow.AddSeconds(-3));
            if (violations.Count == 0 && attempt >= 8)
            {
                break;
            }
        }

        var implied = new List<string>(violations);
        foreach (var (reference, commands) in load.Acknowledged.Commands)
        {
            var history = (await invariants.HistoryAsync(reference)).Select(h => h.Event.GetType().Name).ToList();
            foreach (var command in commands.Distinct())
            {
                var count = history.Count(e => e == command);
                if (count != 1)
                {
                    implied.Add($"{reference}: acknowledged {command} appears {count} times in the history");
                }
            }
        }

        foreach (var line in implied.Take(30))
        {
            output.WriteLine(line);
        }

        return implied;
    }
}

/// <summary>The resilience runs start processes and load the machine: they run one at a time.</summary>
[CollectionDefinition(nameof(ResilienceRuns), DisableParallelization = true)]
public sealed class ResilienceRuns;
