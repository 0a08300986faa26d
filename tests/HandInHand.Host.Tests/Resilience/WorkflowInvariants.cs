using HandInHand.Domain.Lifecycle;
using HandInHand.Infrastructure.Referrals;
using HandInHand.Infrastructure.Storage;
using HandInHand.Infrastructure.Tables;
using HandInHand.Infrastructure.Workflow;
using Microsoft.Extensions.Options;

namespace HandInHand.Host.Tests.Resilience;

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
        await foreach (var row in referrals.QueryAsync(TableFilter.Create($"RowKey eq {"state"} or RowKey eq {"form"}"), ["PartitionKey", "RowKey"]))
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

    public async Task<IReadOnlyList<HistoryEntry>> HistoryAsync(string reference) => await new ReferralWorkflowStore(_tables, _encryption).ReadHistoryAsync(reference);

    public async Task<ReferralState?> StateAsync(string reference) => (await new ReferralWorkflowStore(_tables, _encryption).LoadAsync(reference))?.State;
}
