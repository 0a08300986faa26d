using System.Net.Http.Json;
using Azure.Data.Tables;
using HandInHand.Host.Referrals;
using HandInHand.Host.Tests.Referrals;
using HandInHand.Host.Tests.Support;
using HandInHand.Host.Web;
using HandInHand.Infrastructure.Referrals;
using HandInHand.Infrastructure.Storage;
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
        var receipt = await (await factory.CreateClient().SendAsync(request)).Content.ReadFromJsonAsync<ReferralReceipt>();
        return receipt!.Reference;
    }

    private WorkflowInvariants Checker => new(TestStorage.ConnectionString, factory.TablePrefix);

    [Fact]
    public async Task AFreshReferralBreaksNoInvariant()
    {
        var reference = await SubmitAsync();

        Assert.Empty(await Checker.CheckAsync([reference], factory.Clock.GetUtcNow()));
    }

    [Fact]
    public async Task TheCheckerReportsAnOverdueTimerThatNeverFired()
    {
        var reference = await SubmitAsync();

        var violations = await Checker.CheckAsync([reference], factory.Clock.GetUtcNow().AddDays(2));

        Assert.Contains(violations, v => v.StartsWith(reference, StringComparison.Ordinal) && v.Contains("FirstContactDeadline", StringComparison.Ordinal) && v.Contains("never fired", StringComparison.Ordinal));
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
    public async Task TheCheckerReportsAnUndrainedOutboxAndANotificationRecordedTwice()
    {
        var reference = await SubmitAsync();
        var table = factory.Services.GetRequiredService<TableProvider>().Get(ReferralTables.Referrals);
        await table.AddEntityAsync(new TableEntity(reference, "outbox|9999999999|000") { ["MessageId"] = "x", ["Effect"] = "{\"$type\":\"AllocateAutomatically\"}" });
        var notifications = factory.Services.GetRequiredService<TableProvider>().Get(HandInHand.Infrastructure.Workflow.WorkflowTables.Notifications);
        await notifications.AddEntityAsync(new TableEntity(reference, "duplicate") { ["MessageId"] = "duplicate", ["Kind"] = "ReferralAcknowledged", ["RecipientRole"] = "Referrer" });

        var violations = await Checker.CheckAsync([reference], factory.Clock.GetUtcNow());

        Assert.Contains(violations, v => v.Contains("left in the outbox", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("notifications queued", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheCheckerReportsAnEmailDeliveredTwiceAndOneRecordedAsSentThatNeverArrived()
    {
        var reference = await SubmitAsync();
        var acknowledgement = Assert.Single(await new HandInHand.Infrastructure.Workflow.NotificationLog(factory.Services.GetRequiredService<TableProvider>()).ListAsync(reference));

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
