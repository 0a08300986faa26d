using System.Net.Http.Json;
using Azure.Data.Tables;
using HandInHand.Domain.Lifecycle;
using HandInHand.Host.Referrals;
using HandInHand.Host.Tests.Referrals;
using HandInHand.Host.Tests.Support;
using HandInHand.Host.Web;
using HandInHand.Infrastructure.Referrals;
using HandInHand.Infrastructure.Storage;
using HandInHand.Infrastructure.Workflow;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace HandInHand.Host.Tests.Resilience;

/// <summary>The checker behind the crash runs must itself catch a broken promise, or its "0 violations" means nothing.</summary>
public sealed class WorkflowInvariantsTests : IDisposable
{
    // A host of its own per test: the checker reads every referral under the table prefix.
    private readonly HandInHandFactory factory = new();

    public void Dispose() => factory.Dispose();

    private async Task<string> SubmitAsync()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/referrals") { Content = JsonContent.Create(Submissions.Valid()) };
        request.Headers.Add(ReferralApi.IdempotencyKeyHeader, Guid.NewGuid().ToString());
        var client = factory.CreateClient();
        var receipt = await (await client.SendAsync(request)).Content.ReadFromJsonAsync<ReferralReceipt>();
        await Lifecycle.LifecycleDriver.ReceivedAsync(client, receipt!.Reference);
        return receipt.Reference;
    }

    private WorkflowInvariants Checker => new(TestStorage.ConnectionString, factory.TablePrefix, WorkflowInvariants.TaskHubFor(factory.TablePrefix));

    /// <summary>Checks until <paramref name="found"/> holds (the orchestration works after the answer), at most 60 s (a loaded machine).</summary>
    private async Task<IReadOnlyList<string>> CheckUntilAsync(IReadOnlyCollection<string> acknowledged, DateTimeOffset firedBy, Func<IReadOnlyList<string>, bool> found)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var violations = await Checker.CheckAsync(acknowledged, firedBy);
            if (found(violations) || DateTime.UtcNow > deadline)
            {
                return violations;
            }

            await Task.Delay(250);
        }
    }

    [Fact]
    public async Task AFreshReferralBreaksNoInvariant()
    {
        var reference = await SubmitAsync();

        Assert.Empty(await CheckUntilAsync([reference], factory.Clock.GetUtcNow(), v => v.Count == 0));
    }

    [Fact]
    public void TheCheckerReportsATimerFiredTwiceAndOneFiredWithoutBeingSet()
    {
        var due = HandInHandFactory.Start.AddHours(4);
        IReadOnlyList<ReferralEvent> events =
        [
            new ReferralEvent.TimerSet(Actor.System, HandInHandFactory.Start, TimerKind.TriageReminder, due),
            new ReferralEvent.TimerFired(Actor.System, due, TimerKind.TriageReminder, due),
            new ReferralEvent.TimerFired(Actor.System, due.AddSeconds(1), TimerKind.TriageReminder, due),
            new ReferralEvent.TimerFired(Actor.System, due, TimerKind.ReviewOverdue, due),
        ];

        var violations = WorkflowInvariants.TimerViolations("HH-2026-00001", events, ReferralState.Initial, due).ToList();

        Assert.Contains(violations, v => v.Contains("TriageReminder", StringComparison.Ordinal) && v.Contains("fired 2 times, set 1 times", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("ReviewOverdue", StringComparison.Ordinal) && v.Contains("fired 1 times, set 0 times", StringComparison.Ordinal));
        Assert.Empty(WorkflowInvariants.TimerViolations("HH-2026-00001", events.Take(2).ToList(), ReferralState.Initial, due));
    }

    [Fact]
    public async Task TheCheckerReportsAnOverdueTimerThatNeverFired()
    {
        var reference = await SubmitAsync();

        var violations = await CheckUntilAsync([reference], factory.Clock.GetUtcNow().AddDays(2), v => v.Count > 0);

        Assert.Contains(violations, v => v.StartsWith(reference, StringComparison.Ordinal) && v.Contains("TriageReminder", StringComparison.Ordinal) && v.Contains("never fired", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheCheckerReportsAMissingHistoryEntryAndALostReferral()
    {
        var reference = await SubmitAsync();
        var table = factory.Services.GetRequiredService<TableProvider>().Get(ReferralTables.Referrals);
        await table.DeleteEntityAsync(reference, "event|0000000001", Azure.ETag.All);

        var violations = await Checker.CheckAsync([reference, "HH-2026-99999"], factory.Clock.GetUtcNow());

        Assert.Contains(violations, v => v.StartsWith(reference, StringComparison.Ordinal) && v.Contains("in sequence", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith(reference, StringComparison.Ordinal) && v.Contains("fold", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("HH-2026-99999", StringComparison.Ordinal) && v.Contains("not stored", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheCheckerReportsANotificationRecordedTwiceAndAnAnswerAheadOfTheStoredState()
    {
        var reference = await SubmitAsync();
        Assert.Empty(await CheckUntilAsync([reference], factory.Clock.GetUtcNow(), v => v.Count == 0));
        var tables = factory.Services.GetRequiredService<TableProvider>();
        await tables.Get(WorkflowTables.Notifications).AddEntityAsync(new TableEntity(reference, "duplicate") { ["MessageId"] = "duplicate", ["Kind"] = "ReferralAcknowledged", ["RecipientRole"] = "Referrer" });
        await tables.Get(ReferralTables.Referrals).AddEntityAsync(new TableEntity(reference, "outcome|answered-ahead") { ["Version"] = 99L, ["Changed"] = true });

        var violations = await Checker.CheckAsync([reference], factory.Clock.GetUtcNow());

        Assert.Contains(violations, v => v.StartsWith(reference, StringComparison.Ordinal) && v.Contains("notifications queued", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith(reference, StringComparison.Ordinal) && v.Contains("answered-ahead answered at version 99", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheCheckerReportsAReferralWhoseOrchestrationEnded()
    {
        var reference = await SubmitAsync();
        Assert.Empty(await CheckUntilAsync([reference], factory.Clock.GetUtcNow(), v => v.Count == 0));

        await factory.Services.GetRequiredService<DurableTaskClient>().TerminateInstanceAsync(reference);
        var violations = await CheckUntilAsync([reference], factory.Clock.GetUtcNow(), v => v.Count > 0);

        Assert.Contains(violations, v => v.StartsWith(reference, StringComparison.Ordinal) && v.Contains("orchestration Terminated", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheCheckerReportsAnEmailDeliveredTwiceAndOneRecordedAsSentThatNeverArrived()
    {
        var reference = await SubmitAsync();
        Assert.Empty(await CheckUntilAsync([reference], factory.Clock.GetUtcNow(), v => v.Count == 0));
        var acknowledgement = Assert.Single(await new NotificationLog(factory.Services.GetRequiredService<TableProvider>()).ListAsync(reference));

        var twice = await Checker.CheckEmailsAsync(new Dictionary<string, int> { [acknowledgement.MessageId] = 2 });
        var never = await Checker.CheckEmailsAsync(new Dictionary<string, int>());
        var once = await Checker.CheckEmailsAsync(new Dictionary<string, int> { [acknowledgement.MessageId] = 1 });

        Assert.Contains(twice.Violations, v => v.Contains(acknowledgement.MessageId, StringComparison.Ordinal) && v.Contains("delivered 2 times", StringComparison.Ordinal));
        Assert.Contains(never.Violations, v => v.Contains(acknowledgement.MessageId, StringComparison.Ordinal) && v.Contains("never reached the provider", StringComparison.Ordinal));
        Assert.Empty(once.Violations);
    }

    [Fact]
    public async Task TheCheckerReportsAnAuditEntryAlteredAfterItWasWritten()
    {
        var reference = await SubmitAsync();
        var read = new HttpRequestMessage(HttpMethod.Get, $"/api/referrals/{reference}");
        read.Headers.Add(ActorHeaders.IdHeader, "manager-1");
        read.Headers.Add(ActorHeaders.RoleHeader, "manager");
        (await factory.CreateClient().SendAsync(read)).EnsureSuccessStatusCode();
        Assert.Empty((await Checker.CheckAuditAsync()).Violations);

        var audit = factory.Services.GetRequiredService<TableProvider>().Get(HandInHand.Infrastructure.Audit.AuditTables.Audit);
        var entry = (await audit.GetEntityIfExistsAsync(reference, "entry|000000000001"))!;
        entry["ActorId"] = "someone-else";
        await audit.UpdateEntityAsync(entry, entry.ETag, TableUpdateMode.Replace);

        var (chains, violations) = await Checker.CheckAuditAsync();

        Assert.True(chains >= 1);
        Assert.Contains(violations, v => v.StartsWith(reference, StringComparison.Ordinal) && v.Contains("audit chain broken at entry 1", StringComparison.Ordinal));
    }
}
