using HandInHand.Host.Tests.Support;
using HandInHand.Testing.Email;
using HandInHand.Testing.Storage;
using Xunit.Abstractions;

namespace HandInHand.Host.Tests.Resilience;

/// <summary>
/// The engine's promises with storage misbehaving: every storage request of the host goes
/// through a <see cref="FaultProxy"/> (503 Server Busy, 500 Operation Timeout, dropped
/// connections, resets after the request was applied, latency), emails go to a loopback
/// <see cref="SendGridPeer"/>, and the host is killed with SIGKILL at random moments, while mixed
/// lifecycle traffic runs. Afterwards the checker reads everything stored and every email received.
/// Short here (CI); <c>scripts/faults.sh SEED SECONDS</c> makes a long run
/// (<c>HANDINHAND_FAULT_SEED</c>, <c>HANDINHAND_FAULT_SECONDS</c>, report to <c>HANDINHAND_FAULT_REPORT</c>).
/// </summary>
[Collection(nameof(ResilienceRuns))]
[Trait("Category", "Resilience")]
public sealed class FaultInjectionTests(ITestOutputHelper output)
{
    /// <summary>
    /// The longest the run may take to settle once the storm has passed: 120 s, as long as the load
    /// ran, or 2 s for each referral acknowledged, whichever is longest. A run leaves a backlog in
    /// proportion to the work it took on (every kill hides the messages the host held for the
    /// visibility timeout), and one round of checks over hundreds of referrals takes minutes while
    /// that backlog is worked off: a fixed limit would report as lost what is only late. A fresh
    /// clone's 45-second run took on 121 referrals, whose first-contact timers all fell due at the
    /// end of the load, and had them still being worked off at 120 s.
    /// </summary>
    private static TimeSpan SettleLimit(int referrals) => TimeSpan.FromSeconds(Math.Max(Math.Max(120, LoadSeconds), 2 * referrals));

    private static int LoadSeconds => int.TryParse(Environment.GetEnvironmentVariable("HANDINHAND_FAULT_SECONDS"), out var s) ? s : 45;

    private static int Seed => int.TryParse(Environment.GetEnvironmentVariable("HANDINHAND_FAULT_SEED"), out var s) ? s : 8;

    private static Dictionary<string, string> Settings(string storage, string prefix, Uri sendGrid) => ShortClocks.With(new()
    {
        ["Storage__ConnectionString"] = storage,
        ["Storage__TablePrefix"] = prefix,
        // The task hub's tables go through the proxy too; one worker id across every restart.
        ["Orchestration__TaskHubName"] = WorkflowInvariants.TaskHubFor(prefix),
        ["Orchestration__WorkerId"] = "fault-host",
        // No development mailbox: the host sends through its SendGrid client, to the loopback peer.
        ["Notifications__DevelopmentMailboxPath"] = string.Empty,
        ["SendGrid__ApiKey"] = SendGridPeer.ApiKey,
        ["SendGrid__Endpoint"] = sendGrid.AbsoluteUri,
    });

    [Fact]
    public async Task StorageFaultsAndKilledHostsLoseNothingAndRepeatNothing()
    {
        var seed = Seed;
        var prefix = TestStorage.NewTablePrefix();
        await using var proxy = await FaultProxy.StartAsync(TestStorage.ConnectionString, new FaultSchedule(seed, new FaultRates()));
        await using var sendGrid = await SendGridPeer.StartAsync();
        using var host = new HostProcess(Settings(proxy.Rewrite(TestStorage.ConnectionString), prefix, sendGrid.Address));
        await host.StartAsync();

        var load = new LifecycleLoad([host], seed);
        var random = new Random(seed);
        var kills = 0;
        var failedStarts = 0;
        proxy.Injecting = true;
        var until = DateTime.UtcNow.AddSeconds(LoadSeconds);
        // Six journeys at a time, as in the crash run: a host that spends much of the run restarting
        // (each start takes seconds on a loaded machine) still takes enough referrals to mean something.
        var running = load.RunAsync(until, workers: 6);
        while (DateTime.UtcNow < until)
        {
            await Task.Delay(random.Next(3000, 9000));
            host.Kill();
            kills++;
            await Task.Delay(random.Next(0, 500));
            failedStarts += await StartThroughFaultsAsync(host);
        }

        await running;
        // The storm passes: no more faults or kills while the surviving host works off what is due.
        proxy.Injecting = false;
        var invariants = new WorkflowInvariants(TestStorage.ConnectionString, prefix, WorkflowInvariants.TaskHubFor(prefix));
        var emails = new EmailCheck(0, [], []);
        var audit = (Chains: 0, Violations: (IReadOnlyList<string>)[]);
        var settled = await invariants.SettleAsync(load.Acknowledged, SettleLimit(load.Acknowledged.Commands.Count), async () =>
        {
            emails = await invariants.CheckEmailsAsync(sendGrid.Received);
            audit = await invariants.CheckAuditAsync();
            return [.. emails.Violations, .. audit.Violations];
        });
        var violations = settled.Violations;

        var report = new List<string>
        {
            $"seed {seed}, {LoadSeconds} s of load",
            $"faults injected: {proxy.Describe()}",
            $"host kills: {kills} (restarts that failed under faults and were retried: {failedStarts})",
            $"traffic: {load.Requests} requests ({load.Refused} refused, {load.Queued} answered 202), {load.Acknowledged.Commands.Count} referrals and {load.Acknowledged.Commands.Values.Sum(c => c.Count)} commands acknowledged",
            $"settled after {settled.Checks} checks in {settled.Waited.TotalSeconds:0} s",
            $"emails: {emails.Deliveries} delivery records, {sendGrid.Received.Values.Sum()} accepted by the SendGrid peer, {emails.Unknown.Count} with an unknown outcome left for a person",
            $"audit chains: {audit.Chains} verified",
            $"violations: {violations.Count}",
        };
        report.AddRange(violations.Take(50).Select(v => "  " + v));
        report.AddRange(emails.Unknown.Take(20).Select(v => "  (left for a person) " + v));
        foreach (var line in report)
        {
            output.WriteLine(line);
        }

        if (Environment.GetEnvironmentVariable("HANDINHAND_FAULT_REPORT") is { Length: > 0 } path)
        {
            await File.WriteAllLinesAsync(path, report);
        }

        Assert.True(kills > 0);
        Assert.True(proxy.Counts.Where(c => c.Key != FaultKind.None).All(c => c.Value > 0) && proxy.Counts.Count == Enum.GetValues<FaultKind>().Length, "every kind of fault should have been injected: " + proxy.Describe());
        Assert.True(load.Acknowledged.Commands.Count > 5, "the load made too few referrals to mean anything");
        Assert.True(sendGrid.Received.Count > 5, "too few emails reached the SendGrid peer to mean anything");
        Assert.True(audit.Chains > 5, "too few audit chains to mean anything");
        Assert.Empty(violations);
    }

    /// <summary>Starts the host again; a start-up that fails under the faults is retried. Returns the failed attempts.</summary>
    private static async Task<int> StartThroughFaultsAsync(HostProcess host)
    {
        for (var failed = 0; ; failed++)
        {
            try
            {
                await host.StartAsync();
                return failed;
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException && failed < 5)
            {
                host.Kill();
            }
        }
    }
}
