using System.Globalization;
using Azure;
using Azure.Data.Tables;
using HandInHand.Domain.Lifecycle;
using HandInHand.Infrastructure.Protection;
using HandInHand.Infrastructure.Referrals;
using HandInHand.Infrastructure.Storage;

namespace HandInHand.Infrastructure.Workflow;

/// <summary>A referral's state as loaded, with what a conditional write needs.</summary>
/// <param name="Version">The number of events in the referral's history.</param>
public sealed record LoadedReferral(ReferralState State, long Version, ETag ETag);

/// <summary>What recording a step found: this step recorded (now or before), or, in <paramref name="Instead"/>, another step the store holds in its place.</summary>
/// <param name="Version">The referral's version after the recorded step (after <paramref name="Instead"/> when there is one).</param>
/// <param name="Instead">The step the run must take instead of its own; null when its own is recorded.</param>
public sealed record RecordedStep(long Version, StoredStep? Instead);

/// <summary>
/// A step the store holds where a run meant to record its own: another step recorded from the same
/// version, or, when the store is further on than that (the run fell more than one step behind),
/// the store's last step, with the state it started from.
/// </summary>
/// <param name="FromVersion">The version the step starts from.</param>
/// <param name="Events">The step's events.</param>
/// <param name="CommandId">The id of the command the step decided, if it had one.</param>
/// <param name="Before">The state the step starts from, when it is not the run's own: the fold of the history before it.</param>
public sealed record StoredStep(long FromVersion, IReadOnlyList<ReferralEvent> Events, string? CommandId, ReferralState? Before = null)
{
    public long Version => FromVersion + Events.Count;
}

/// <summary>A history entry: the event and its place in the history.</summary>
public sealed record HistoryEntry(long Sequence, ReferralEvent Event);

/// <summary>The state was changed by someone else since it was loaded; nothing was written.</summary>
public sealed class ConcurrentChangeException : Exception
{
    public ConcurrentChangeException()
        : base("The referral changed while this step was being decided.")
    {
    }

    public ConcurrentChangeException(string message)
        : base(message)
    {
    }

    public ConcurrentChangeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Keeps each referral's state and history in its own partition of the Referrals table, written
/// together in one entity group transaction: a step is recorded entirely or not at all. The
/// referral's orchestration is the only writer; recording the same step again changes nothing.
/// </summary>
/// <remarks>
/// Row keys: <c>state</c>; <c>event|0000000001</c>… (append-only; the number is the history
/// position); <c>outcome|&lt;command id&gt;</c> (what became of a command, for its caller);
/// <c>form</c> (the referral form).
/// </remarks>
public sealed class ReferralWorkflowStore
{
    public const string StateRow = "state";
    private const string StepVersionColumn = "StepVersion";
    private const string StepCommandColumn = "StepCommandId";
    private const string EventPrefix = "event|";
    private readonly GuardedTableClient _table;
    private readonly FieldEncryption _encryption;

    /// <param name="encryption">
    /// Encrypts the state and each event's details (reasons, reviews, dates of birth) before they
    /// reach storage, bound to their row; the queryable columns beside them hold no personal data.
    /// </param>
    public ReferralWorkflowStore(TableProvider tables, FieldEncryption encryption)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(encryption);
        _table = tables.Get(ReferralTables.Referrals);
        _encryption = encryption;
    }

    public async Task<LoadedReferral?> LoadAsync(string reference, CancellationToken cancellationToken = default)
    {
        var row = await _table.GetEntityIfExistsAsync(reference, StateRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            return null;
        }

        return new LoadedReferral(
            ReadState(reference, row.GetString("State") ?? throw new InvalidDataException("A state row has no State.")),
            row.GetInt64("Version") ?? 0,
            row.ETag);
    }

    /// <summary>
    /// Records a step: the new state and its events, in one transaction. The step's first event row
    /// also names where the step ends and the command it decided, so that a step found recorded
    /// later can be told apart from this one. A step recorded before (the activity ran again after a
    /// crash) is left as it is. A different step recorded from the same version is the store's
    /// truth and is returned instead: it was decided by an earlier attempt of the orchestration's
    /// generation whose decision was never committed, while the activity it scheduled still ran
    /// (the backend sends an episode's messages before it commits its history).
    /// </summary>
    /// <param name="commandId">The id of the command the step decided, if it has one.</param>
    /// <exception cref="ConcurrentChangeException">The stored state is behind this step's start; nothing was written.</exception>
    public async Task<RecordedStep> RecordStepAsync(
        string reference,
        long fromVersion,
        ReferralState after,
        IReadOnlyList<ReferralEvent> events,
        string? commandId = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(events);
        var version = fromVersion + events.Count;
        var before = await LoadAsync(reference, cancellationToken).ConfigureAwait(false);
        if ((before?.Version ?? 0) > fromVersion)
        {
            return await RecordedFromAsync(reference, fromVersion, before!.Version, events, cancellationToken).ConfigureAwait(false);
        }

        if ((before?.Version ?? 0) != fromVersion)
        {
            throw new ConcurrentChangeException("The stored referral is not at the version this step was decided on.");
        }

        var actions = new List<TableTransactionAction>();
        var state = StateEntity(reference, after, version);
        actions.Add(before is null
            ? new TableTransactionAction(TableTransactionActionType.Add, state)
            : new TableTransactionAction(TableTransactionActionType.UpdateReplace, state, before.ETag));

        var sequence = fromVersion;
        foreach (var e in events)
        {
            sequence++;
            var row = new TableEntity(reference, EventKey(sequence))
            {
                ["Type"] = e.GetType().Name,
                ["At"] = e.At,
                ["ActorId"] = e.By.Id,
                ["ActorRole"] = e.By.Role.ToString(),
                ["Event"] = _encryption.Encrypt(WorkflowJson.Serialize(e), reference + "|" + EventKey(sequence)),
            };
            if (sequence == fromVersion + 1)
            {
                row[StepVersionColumn] = version;
                row[StepCommandColumn] = commandId;
            }

            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, row));
        }

        if (actions.Count > 100)
        {
            throw new InvalidOperationException($"A step of {actions.Count} rows exceeds one transaction.");
        }

        try
        {
            await _table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TableTransactionFailedException { Status: 412 or 409 } or TableOutcomeUnknownException)
        {
            // Another attempt at this step landed first, or this one's outcome is unknown: the
            // stored history says which step is there.
            var now = await LoadAsync(reference, cancellationToken).ConfigureAwait(false);
            if (now is null || now.Version <= fromVersion)
            {
                throw new ConcurrentChangeException("The step was not recorded; it is tried again.", ex);
            }

            return await RecordedFromAsync(reference, fromVersion, now.Version, events, cancellationToken).ConfigureAwait(false);
        }

        return new RecordedStep(version, null);
    }

    /// <summary>
    /// The step recorded from <paramref name="fromVersion"/> on: this one (<paramref name="events"/>),
    /// or another. When the store holds more steps after that one, the run that asks fell behind (a
    /// start message the backend delivered again, after the orchestration had moved on): it gets the
    /// store's last step instead, with the state before it, so that it takes up where the store is.
    /// </summary>
    private async Task<RecordedStep> RecordedFromAsync(string reference, long fromVersion, long storedVersion, IReadOnlyList<ReferralEvent> events, CancellationToken cancellationToken)
    {
        var first = await _table.GetEntityIfExistsAsync(reference, EventKey(fromVersion + 1), cancellationToken: cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException("A recorded step has no first event.");
        // A step recorded before steps named their end is taken as this one, as it always was.
        var end = first.GetInt64(StepVersionColumn) ?? Math.Min(storedVersion, fromVersion + events.Count);
        if (end < storedVersion)
        {
            return new RecordedStep(storedVersion, await LastStepAsync(reference, storedVersion, cancellationToken).ConfigureAwait(false));
        }

        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {reference} and RowKey ge {EventKey(fromVersion + 1)} and RowKey le {EventKey(end)}");
        var recorded = new List<ReferralEvent>();
        await foreach (var row in _table.QueryAsync(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            recorded.Add(ReadEvent(reference, row));
        }

        var same = recorded.Count == events.Count && recorded.Zip(events).All(p => WorkflowJson.Serialize(p.First) == WorkflowJson.Serialize(p.Second));
        return same ? new RecordedStep(end, null) : new RecordedStep(end, new StoredStep(fromVersion, recorded, first.GetString(StepCommandColumn)));
    }

    /// <summary>The store's last step and the fold of the history before it; null when the referral has no step recorded.</summary>
    public async Task<StoredStep?> LastStepAsync(string reference, CancellationToken cancellationToken = default)
    {
        var stored = await LoadAsync(reference, cancellationToken).ConfigureAwait(false);
        return stored is null || stored.Version == 0 ? null : await LastStepAsync(reference, stored.Version, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The store's last step, ending at <paramref name="storedVersion"/>, and the fold of the history before it.</summary>
    private async Task<StoredStep> LastStepAsync(string reference, long storedVersion, CancellationToken cancellationToken)
    {
        var rows = new List<TableEntity>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {reference} and RowKey gt {EventPrefix} and RowKey le {EventKey(storedVersion)}");
        await foreach (var row in _table.QueryAsync(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            rows.Add(row);
        }

        // The last step starts at the last row that names the stored version as its end; a history
        // from before steps named their end is taken one event at a time.
        var start = rows.FindLastIndex(r => r.GetInt64(StepVersionColumn) == storedVersion);
        start = start < 0 ? rows.Count - 1 : start;
        var history = rows.Select(r => ReadEvent(reference, r)).ToList();
        return new StoredStep(start, history[start..], rows[start].GetString(StepCommandColumn), ReferralState.Initial.Evolve(history[..start]));
    }

    private ReferralEvent ReadEvent(string reference, TableEntity row) =>
        WorkflowJson.Deserialize<ReferralEvent>(_encryption.Decrypt(row.GetString("Event") ?? throw new InvalidDataException("An event row has no Event."), reference + "|" + row.RowKey));

    public async Task<IReadOnlyList<HistoryEntry>> ReadHistoryAsync(string reference, CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {reference} and RowKey gt {EventPrefix} and RowKey lt {EventPrefix + "~"}");
        var entries = new List<HistoryEntry>();
        await foreach (var row in _table.QueryAsync(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            entries.Add(new HistoryEntry(
                long.Parse(row.RowKey[EventPrefix.Length..], CultureInfo.InvariantCulture),
                ReadEvent(reference, row)));
        }

        return entries;
    }

    /// <summary>
    /// Rewrites the history of an erased referral with <paramref name="redact"/> applied to each
    /// event, in transactions of up to 100 rows. Running it again changes nothing more.
    /// </summary>
    /// <returns>How many events were rewritten.</returns>
    public async Task<int> RedactHistoryAsync(string reference, Func<ReferralEvent, ReferralEvent> redact, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(redact);
        var changed = new List<TableTransactionAction>();
        foreach (var entry in await ReadHistoryAsync(reference, cancellationToken).ConfigureAwait(false))
        {
            var redacted = redact(entry.Event);
            if (WorkflowJson.Serialize(redacted) == WorkflowJson.Serialize(entry.Event))
            {
                continue;
            }

            var key = EventKey(entry.Sequence);
            changed.Add(new TableTransactionAction(TableTransactionActionType.UpdateMerge, new TableEntity(reference, key)
            {
                ["Event"] = _encryption.Encrypt(WorkflowJson.Serialize(redacted), reference + "|" + key),
            }, ETag.All));
        }

        foreach (var chunk in changed.Chunk(100))
        {
            await _table.SubmitTransactionAsync(chunk, cancellationToken).ConfigureAwait(false);
        }

        return changed.Count;
    }

    /// <summary>Open referrals' state rows whose stage is one of <paramref name="stages"/> (staff views).</summary>
    public async IAsyncEnumerable<ReferralState> QueryByStageAsync(IReadOnlyCollection<Stage> stages, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var stageFilter = string.Join(" or ", stages.Select(s => TableClient.CreateQueryFilter($"Stage eq {s.ToString()}")));
        var filter = TableClient.CreateQueryFilter($"RowKey eq {StateRow}") + " and (" + stageFilter + ")";
        await foreach (var row in _table.QueryAsync(filter, ["PartitionKey", "State"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            yield return ReadState(row.PartitionKey, row.GetString("State")!);
        }
    }

    private static string EventKey(long sequence) => string.Create(CultureInfo.InvariantCulture, $"{EventPrefix}{sequence:D10}");

    private ReferralState ReadState(string reference, string stored) =>
        WorkflowJson.Deserialize<ReferralState>(_encryption.Decrypt(stored, reference + "|" + StateRow));

    private TableEntity StateEntity(string reference, ReferralState state, long version)
    {
        var entity = new TableEntity(reference, StateRow)
        {
            ["Version"] = version,
            ["Stage"] = state.Stage.ToString(),
            ["Pathway"] = state.Pathway.ToString(),
            ["Region"] = state.Region,
            ["RiskLevel"] = state.CurrentRisk.ToString(),
            ["ReceivedAt"] = state.ReceivedAt,
            ["State"] = _encryption.Encrypt(WorkflowJson.Serialize(state), reference + "|" + StateRow),
        };
        if (state.PractitionerId is not null)
        {
            entity["PractitionerId"] = state.PractitionerId;
        }

        return entity;
    }
}
