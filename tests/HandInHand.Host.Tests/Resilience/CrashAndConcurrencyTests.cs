using HandInHand.Host.Tests.Support;
using Xunit.Abstractions;

namespace HandInHand.Host.Tests.Resilience;

/// <summary>
/// The engine's promises under abuse: hosts killed with SIGKILL at random moments, and two hosts
/// on one storage. Short by default (a CI-sized run); <c>HANDINHAND_SOAK_SECONDS</c> and
/// <c>HANDINHAND_SOAK_SEED</c> make a long, reproducible run.
/// </summary>
[Collection(nameof(ResilienceRuns))]
[Trait("Category", "Resilience")]
public sealed class CrashAndConcurrencyTests(ITestOutputHelper output)
{
    /// <summary>The longest a run may take to settle once its load has stopped: two clean checks in a row, each up to half a minute on a loaded machine.</summary>
    private static readonly TimeSpan SettleLimit = TimeSpan.FromSeconds(150);

    private static int LoadSeconds => int.TryParse(Environment.GetEnvironmentVariable("HANDINHAND_SOAK_SECONDS"), out var s) ? s : 25;

    private static int Seed => int.TryParse(Environment.GetEnvironmentVariable("HANDINHAND_SOAK_SEED"), out var s) ? s : 20261123;

    /// <summary>Short clocks so timers fire during the run, the run's own tables and task hub, and this host's worker id.</summary>
    private static Dictionary<string, string> Settings(string prefix, string workerId) => ShortClocks.With(new()
    {
        ["Storage__ConnectionString"] = TestStorage.ConnectionString,
        ["Storage__TablePrefix"] = prefix,
        ["Orchestration__TaskHubName"] = WorkflowInvariants.TaskHubFor(prefix),
        ["Orchestration__WorkerId"] = workerId,
        ["Notifications__DevelopmentMailboxPath"] = Path.Combine(Path.GetTempPath(), "handinhand-mailbox-" + prefix),
    });

    [Fact]
    public async Task KillingTheHostAtRandomMomentsLosesNothingAndRepeatsNothing()
    {
        var prefix = TestStorage.NewTablePrefix();
        // One worker id across every restart: the new process takes its partitions back at once.
        using var host = new HostProcess(Settings(prefix, "crash-host"));
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
        output.WriteLine($"host output: {host.LogPath}");
        var settled = await SettleAndReportAsync(prefix, load, $"seed {Seed}, {LoadSeconds} s, {kills} kills");
        Assert.True(kills > 0);
        Assert.True(load.Acknowledged.Commands.Count > 5, "the load made too few referrals to mean anything");
        Assert.Empty(settled.Violations);
    }

    [Fact]
    public async Task TwoHostsOnOneStorageNeitherDuplicateNorLoseAnEffect()
    {
        var prefix = TestStorage.NewTablePrefix();
        using var first = new HostProcess(Settings(prefix, "host-a"));
        using var second = new HostProcess(Settings(prefix, "host-b"));
        await Task.WhenAll(first.StartAsync(), second.StartAsync());
        var load = new LifecycleLoad([first, second], Seed + 1);

        await load.RunAsync(DateTime.UtcNow.AddSeconds(Math.Max(10, LoadSeconds / 2)), workers: 8);
        output.WriteLine($"host output: {first.LogPath}, {second.LogPath}");

        var settled = await SettleAndReportAsync(prefix, load, "two hosts");
        Assert.True(load.Acknowledged.Commands.Count > 5, "the load made too few referrals to mean anything");
        Assert.Empty(settled.Violations);
    }

    /// <summary>Lets the surviving hosts fire what is due, checks every invariant and the commands' implied state, and writes the run's numbers.</summary>
    private async Task<Settled> SettleAndReportAsync(string prefix, LifecycleLoad load, string run)
    {
        var invariants = new WorkflowInvariants(TestStorage.ConnectionString, prefix, WorkflowInvariants.TaskHubFor(prefix));
        var settled = await invariants.SettleAsync(load.Acknowledged, SettleLimit, async () => (await invariants.CheckAuditAsync()).Violations);
        output.WriteLine($"{run}: {load.Requests} requests ({load.Refused} refused, {load.Queued} answered 202), {load.Acknowledged.Commands.Count} referrals, {load.Acknowledged.Commands.Values.Sum(c => c.Count)} acknowledged commands; settled after {settled.Checks} checks in {settled.Waited.TotalSeconds:0} s; violations: {settled.Violations.Count}");
        foreach (var line in settled.Violations.Take(30))
        {
            output.WriteLine(line);
        }

        return settled;
    }
}

/// <summary>The resilience runs start processes and load the machine: they run one at a time.</summary>
[CollectionDefinition(nameof(ResilienceRuns), DisableParallelization = true)]
public sealed class ResilienceRuns;
