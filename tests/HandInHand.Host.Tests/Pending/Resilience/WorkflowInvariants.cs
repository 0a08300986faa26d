using Azure.Data.Tables;
using HandInHand.Domain.Lifecycle;
using HandInHand.Infrastructure.Referrals;
using HandInHand.Infrastructure.Storage;
using HandInHand.Infrastructure.Workflow;
using Microsoft.Extensions.Options;

namespace HandInHand.Host.Tests.Resilience;

/// <summary>The email check: how many deliveries were recorded, the broken promises, and the outcomes left for a person.</summary>
internal sealed record EmailCheck(int Deliveries, IReadOnlyList<string> Violations, IReadOnlyList<string> Unknown);

/// <summary>
/// Reads everything the workflow stored and lists every broken promise: a referral whose state is
/// not the fold of its history, a gap in a history, a step half-written, a timer fired twice or
/// overdue and not fired, an outbox not drained, a notification recorded other than once.
/// </summary>
internal sealed class WorkflowInvariants(string connectionString, string tablePrefix)
{
    private readonly TableProvider _tables = new(Options.Create(new StorageOptions { ConnectionString = connectionString, TablePrefix = tablePrefix }));
    private readonly Infrastructure.Protection.FieldEncryption _encryption = Support.DevelopmentEncryption.Create();

    public async Task<IReadOnlyList<string>> CheckAsync(IReadOnlyCollection<string> acknowledged, DateTimeOffset firedBy)
    {
        var violations = new List<string>();
        var store = new ReferralWorkflowStore(_tables, _encryption);
        var referrals = _tables.Get(ReferralTables.Referrals);
        var notifications = new NotificationLog(_tables);
        var references = new SortedSet<string>(StringComparer.Ordinal);
        var forms = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var row in referrals.QueryAsync(TableClient.CreateQueryFilter($"RowKey eq {"state"} or RowKey eq {"form"}"), ["PartitionKey", "RowKey"]))
        {
            ((ISet<string>)(row.RowKey == "state" ? references : forms)).Add(row.PartitionKey);
        }

        foreach (var reference in acknowledged.Where(r => !references.Contains(r) || !forms.Contains(r)))
        {
            violations.Add($"{reference}: acknowledged to the referrer but not stored");
        }

        foreach (var reference in references)
        {
            if (!forms.Contains(reference))
            {
                violations.Add($"{reference}: workflow state without its form (half-applied intake)");
            }

            var loaded = (await store.LoadAsync(reference))!;
            var history = await store.ReadHistoryAsync(reference);
            if (history.Count != loaded.Version || history.Select((h, i) => h.Sequence != i + 1).Any(b => b))
            {
                violations.Add($"{reference}: history has {history.Count} events in sequence for version {loaded.Version}");
            }

            var folded = ReferralState.Initial.Evolve(history.Select(h => h.Event));
            if (WorkflowJson.Serialize(folded) != WorkflowJson.Serialize(loaded.State))
            {
                violations.Add($"{reference}: state differs from the fold of its history (half-applied step)");
            }

            var fired = history.Select(h => h.Event).OfType<ReferralEvent.TimerFired>().GroupBy(f => (f.Kind, f.DueAt)).Where(g => g.Count() > 1);
            violations.AddRange(fired.Select(g => $"{reference}: timer {g.Key.Kind} due {g.Key.DueAt:O} fired {g.Count()} times"));
            violations.AddRange(loaded.State.Timers.Where(t => t.Value < firedBy).Select(t => $"{reference}: timer {t.Key} due {t.Value:O} never fired"));

            var outbox = await store.ReadOutboxAsync(reference);
            if (outbox.Count > 0)
            {
                violations.Add($"{reference}: {outbox.Count} effects left in the outbox");
            }

            var queued = history.Count(h => h.Event is ReferralEvent.NotificationQueued);
            var recorded = (await notifications.ListAsync(reference)).Count;
            if (queued != recorded)
            {
                violations.Add($"{reference}: {queued} notifications queued, {recorded} recorded");
            }
        }

        return violations;
    }

    /// <summary>
    /// Each email delivered once: every recorded notification has a delivery record; no message
    /// reached the provider (<paramref name="received"/>: message id → times accepted) twice; one
    /// recorded as sent reached it, and one recorded as pending, failed or without a channel did
    /// not. A delivery whose outcome is unknown (the sender stopped mid-send) is by design left
    /// for a person, never resent: those are listed in <see cref="EmailCheck.Unknown"/>, not as violations.
    /// </summary>
    public async Task<EmailCheck> CheckEmailsAsync(IReadOnlyDictionary<string, int> received)
    {
        ArgumentNullException.ThrowIfNull(received);
        var violations = new List<string>();
        var unknown = new List<string>();
        var recorded = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var row in _tables.Get(Infrastructure.Notifications.EmailDelivery.TableName).QueryAsync())
        {
            recorded[row.GetString("MessageId") ?? row.RowKey] = row.GetString("Status") ?? "Pending";
        }

        // Digests are emails too, recorded per day and recipient by the digest job.
        await foreach (var row in _tables.Get(Infrastructure.Notifications.DigestJob.TableName).QueryAsync())
        {
            var date = DateOnly.ParseExact(row.PartitionKey, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            recorded[Infrastructure.Notifications.DigestJob.MessageIdOf(row.RowKey, date)] = row.GetString("Status") ?? "Pending";
        }

        foreach (var notification in await new NotificationLog(_tables).ListAsync())
        {
            if (!recorded.ContainsKey(notification.MessageId))
            {
                violations.Add($"{notification.Reference}: notification {notification.MessageId} has no delivery record");
            }
        }

        foreach (var (messageId, status) in recorded)
        {
            var times = received.GetValueOrDefault(messageId);
            if (times > 1)
            {
                violations.Add($"email {messageId} delivered {times} times");
            }
            else if (status == "Sent" && times == 0)
            {
                violations.Add($"email {messageId} recorded as sent but never reached the provider");
            }
            else if (status is "Pending" or "Failed" or "NoChannel" or "NothingToSay" && times > 0)
            {
                violations.Add($"email {messageId} reached the provider but is recorded as {status}");
            }
            else if (status == "Pending")
            {
                violations.Add($"email {messageId} left pending: never sent");
            }
            else if (status is "Sending" or "Unknown")
            {
                unknown.Add($"email {messageId}: outcome unknown ({status}), reached the provider {times} times");
            }
        }

        violations.AddRange(received.Keys.Where(id => !recorded.ContainsKey(id)).Select(id => $"email {id} reached the provider without a delivery record"));
        return new EmailCheck(recorded.Count, violations, unknown);
    }

    /// <summary>Every audit chain intact: each record's chain verified entry by entry, as <c>verify-audit</c> does.</summary>
    public async Task<(int Chains, IReadOnlyList<string> Violations)> CheckAuditAsync()
    {
        var results = await new Infrastructure.Audit.AuditTrail(_tables.Get(Infrastructure.Audit.AuditTables.Audit)).VerifyAllAsync();
        return (results.Count, [.. results.Where(r => !r.Intact).Select(r => $"{r.RecordId}: audit chain broken at entry {r.FirstBrokenSequence} ({r.Problem})")]);
    }

    public async Task<IReadOnlyList<HistoryEntry>> HistoryAsync(string reference) => await new ReferralWorkflowStore(_tables, _encryption).ReadHistoryAsync(reference);

    public async Task<ReferralState?> StateAsync(string reference) => (await new ReferralWorkflowStore(_tables, _encryption).LoadAsync(reference))?.State;
}
