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
/// Reads everything the orchestrations stored and lists every broken promise: an acknowledged
/// referral or command not stored, a referral whose state is not the fold of its history, a gap
/// in a history, a timer fired twice or fired without being set, a timer overdue and not fired, a
/// notification recorded other than once, and (given the task hub) an orchestration that failed,
/// ended or never started.
/// </summary>
/// <param name="taskHub">The task hub's name, to read its Instances table; null to leave the orchestrations' status unchecked.</param>
internal sealed class WorkflowInvariants(string connectionString, string tablePrefix, string? taskHub = null)
{
    private const string OutcomePrefix = "outcome|";

    /// <summary>Runtime statuses of an orchestration that will never take another command: a referral's must never end so.</summary>
    private static readonly HashSet<string> Ended = new(["Completed", "Failed", "Terminated", "Canceled"], StringComparer.Ordinal);

    private readonly TableProvider _tables = new(Options.Create(new StorageOptions { ConnectionString = connectionString, TablePrefix = tablePrefix }));
    private readonly Infrastructure.Protection.FieldEncryption _encryption = Support.DevelopmentEncryption.Create();

    /// <summary>The task hub the hosts of a resilience run share, named after its table prefix.</summary>
    public static string TaskHubFor(string tablePrefix) => "hub" + tablePrefix;

    /// <summary>How late a timer may fire on a loaded machine before the checker calls it lost.</summary>
    public static readonly TimeSpan TimerSlack = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Checks until two checks in a row find nothing broken and no timer due within a minute (the
    /// run's short clocks) left to fire, at most <paramref name="maximum"/>: the run is settled as
    /// soon as it is, not after a fixed wait, and a run that never settles says so.
    /// </summary>
    /// <param name="more">Further checks to pass in the same round (emails, audit chains), or null.</param>
    public async Task<Settled> SettleAsync(Acknowledgements load, TimeSpan maximum, Func<Task<IReadOnlyList<string>>>? more = null)
    {
        ArgumentNullException.ThrowIfNull(load);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var clean = 0;
        var checks = 0;
        var violations = new List<string>();
        var soon = 0;
        while (clean < 2)
        {
            if (waited.Elapsed > maximum)
            {
                violations.Add($"not settled after {maximum.TotalSeconds:0} s: {soon} timers due within a minute still to fire");
                break;
            }

            await Task.Delay(TimeSpan.FromSeconds(2));
            var now = DateTimeOffset.UtcNow;
            (violations, soon) = await CheckCoreAsync(load.Commands.Keys.ToList(), now - TimerSlack, now + TimeSpan.FromMinutes(1));
            violations.AddRange(await AcknowledgedCommandViolationsAsync(load));
            if (more is not null)
            {
                violations.AddRange(await more());
            }

            checks++;
            clean = violations.Count == 0 && soon == 0 ? clean + 1 : 0;
        }

        return new Settled(violations, checks, waited.Elapsed);
    }

    /// <summary>Each command the load saw acknowledged (2xx) is in its referral's history exactly once.</summary>
    public async Task<IReadOnlyList<string>> AcknowledgedCommandViolationsAsync(Acknowledgements load)
    {
        ArgumentNullException.ThrowIfNull(load);
        var violations = new List<string>();
        foreach (var (reference, commands) in load.Commands)
        {
            var history = (await HistoryAsync(reference)).Select(h => h.Event.GetType().Name).ToList();
            violations.AddRange(commands.Distinct()
                .Select(command => (command, count: history.Count(e => e == command)))
                .Where(c => c.count != 1)
                .Select(c => $"{reference}: acknowledged {c.command} appears {c.count} times in the history"));
        }

        return violations;
    }

    /// <param name="acknowledged">References whose intake the load saw answered 201.</param>
    /// <param name="firedBy">Every timer due before this moment must have fired.</param>
    public async Task<IReadOnlyList<string>> CheckAsync(IReadOnlyCollection<string> acknowledged, DateTimeOffset firedBy) =>
        (await CheckCoreAsync(acknowledged, firedBy, firedBy)).Violations;

    /// <returns>The violations, and how many timers still set are due before <paramref name="soonBy"/> (work still to come).</returns>
    private async Task<(List<string> Violations, int Soon)> CheckCoreAsync(IReadOnlyCollection<string> acknowledged, DateTimeOffset firedBy, DateTimeOffset soonBy)
    {
        var soon = 0;
        var violations = new List<string>();
        var store = new ReferralWorkflowStore(_tables, _encryption);
        var referrals = _tables.Get(ReferralTables.Referrals);
        var references = new SortedSet<string>(StringComparer.Ordinal);
        var forms = new HashSet<string>(StringComparer.Ordinal);
        var outcomes = new List<(string Reference, string CommandId, long Version)>();
        var filter = TableClient.CreateQueryFilter($"RowKey eq {ReferralWorkflowStore.StateRow} or RowKey eq {"form"} or (RowKey gt {OutcomePrefix} and RowKey lt {OutcomePrefix + "~"})");
        await foreach (var row in referrals.QueryAsync(filter, ["PartitionKey", "RowKey", "Version", "Refusal"]))
        {
            if (row.RowKey == ReferralWorkflowStore.StateRow)
            {
                references.Add(row.PartitionKey);
            }
            else if (row.RowKey == "form")
            {
                forms.Add(row.PartitionKey);
            }
            else if (row.GetString("Refusal") is null)
            {
                outcomes.Add((row.PartitionKey, row.RowKey[OutcomePrefix.Length..], row.GetInt64("Version") ?? 0));
            }
        }

        foreach (var reference in acknowledged.Where(r => !references.Contains(r) || !forms.Contains(r)))
        {
            violations.Add($"{reference}: acknowledged to the referrer but not stored");
        }

        var versions = new Dictionary<string, long>(StringComparer.Ordinal);
        var notifications = (await new NotificationLog(_tables).ListAsync()).ToLookup(n => n.Reference, StringComparer.Ordinal);
        foreach (var reference in references)
        {
            if (!forms.Contains(reference))
            {
                violations.Add($"{reference}: workflow state without its form (half-applied intake)");
            }

            var loaded = (await store.LoadAsync(reference))!;
            versions[reference] = loaded.Version;
            var history = await store.ReadHistoryAsync(reference);
            if (history.Count != loaded.Version || history.Select((h, i) => h.Sequence != i + 1).Any(b => b))
            {
                violations.Add($"{reference}: history has {history.Count} events in sequence for version {loaded.Version}");
            }

            var events = history.Select(h => h.Event).ToList();
            var folded = ReferralState.Initial.Evolve(events);
            if (WorkflowJson.Serialize(folded) != WorkflowJson.Serialize(loaded.State))
            {
                violations.Add($"{reference}: state differs from the fold of its history (half-applied step)");
            }

            violations.AddRange(TimerViolations(reference, events, loaded.State, firedBy));
            soon += loaded.State.Timers.Count(t => t.Value < soonBy);

            // Each queued notification recorded once, as the same kind to the same role.
            var queued = events.OfType<ReferralEvent.NotificationQueued>().Select(n => $"{n.Kind} to {n.Recipient.Role}").Order(StringComparer.Ordinal).ToList();
            var recorded = notifications[reference].Select(n => $"{n.Kind} to {n.RecipientRole}").Order(StringComparer.Ordinal).ToList();
            if (!queued.SequenceEqual(recorded, StringComparer.Ordinal))
            {
                violations.Add($"{reference}: {queued.Count} notifications queued, {recorded.Count} recorded ({string.Join(", ", queued.Except(recorded).Concat(recorded.Except(queued)).Distinct())})");
            }
        }

        violations.AddRange(notifications.Where(n => !references.Contains(n.Key)).Select(n => $"{n.Key}: {n.Count()} notifications recorded for a referral with no state"));

        // An outcome row is what the caller was (or would have been) answered: the step it names must be stored.
        foreach (var (reference, commandId, version) in outcomes)
        {
            if (versions.GetValueOrDefault(reference) < version)
            {
                violations.Add($"{reference}: command {commandId} answered at version {version}, but the stored state is at {versions.GetValueOrDefault(reference)}");
            }
        }

        if (taskHub is not null)
        {
            violations.AddRange(await OrchestrationViolationsAsync(references));
        }

        return (violations, soon);
    }

    /// <summary>
    /// No timer fires twice or is lost: each firing matches a setting of that timer (kind and due
    /// time), at most once per setting, and no timer still set was due before <paramref name="firedBy"/>.
    /// </summary>
    internal static IEnumerable<string> TimerViolations(string reference, IReadOnlyList<ReferralEvent> events, ReferralState state, DateTimeOffset firedBy)
    {
        var set = events.OfType<ReferralEvent.TimerSet>().CountBy(t => (t.Kind, t.DueAt)).ToDictionary();
        foreach (var (timer, fired) in events.OfType<ReferralEvent.TimerFired>().CountBy(f => (f.Kind, f.DueAt)))
        {
            var times = set.GetValueOrDefault(timer);
            if (fired > times)
            {
                yield return $"{reference}: timer {timer.Kind} due {timer.DueAt:O} fired {fired} times, set {times} times";
            }
        }

        foreach (var (kind, due) in state.Timers.Where(t => t.Value < firedBy))
        {
            yield return $"{reference}: timer {kind} due {due:O} never fired";
        }
    }

    /// <summary>Each referral's orchestration exists and still runs: a failed or ended one would take no more commands or timers (only an erasure ends one, and the load erases nothing).</summary>
    private async Task<IReadOnlyList<string>> OrchestrationViolationsAsync(IReadOnlyCollection<string> references)
    {
        var statuses = new Dictionary<string, string>(StringComparer.Ordinal);
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        var instances = new TableClient(connectionString, taskHub + "Instances");
        await foreach (var row in instances.QueryAsync<TableEntity>(select: ["PartitionKey", "RuntimeStatus", "Output"]))
        {
            statuses[row.PartitionKey] = row.GetString("RuntimeStatus") ?? "Unknown";
            outputs[row.PartitionKey] = row.GetString("Output") ?? string.Empty;
        }

        var violations = new List<string>();
        foreach (var reference in references)
        {
            if (!statuses.TryGetValue(reference, out var status))
            {
                violations.Add($"{reference}: no orchestration instance in {taskHub}");
            }
            else if (Ended.Contains(status))
            {
                // A failed orchestration's output is its failure (our exceptions carry no personal data).
                var output = outputs[reference];
                violations.Add($"{reference}: orchestration {status}{(output.Length == 0 ? string.Empty : ": " + output[..Math.Min(output.Length, 1500)])}");
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

        // Digests are emails too, recorded per day and recipient by the digest job; a day's
        // finished row says the run settled every recipient, and is no email.
        await foreach (var row in _tables.Get(Infrastructure.Notifications.DigestJob.TableName).QueryAsync())
        {
            if (row.RowKey == Infrastructure.Notifications.DigestJob.FinishedRow)
            {
                continue;
            }

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
