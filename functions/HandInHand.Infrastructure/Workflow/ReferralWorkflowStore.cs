using System.Globalization;
using Azure;
using Azure.Data.Tables;
using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Workflow;
using HandInHand.Infrastructure.Protection;
using HandInHand.Infrastructure.Referrals;
using HandInHand.Infrastructure.Storage;

namespace HandInHand.Infrastructure.Workflow;

/// <summary>A referral's state as loaded, with what a conditional write needs.</summary>
/// <param name="Version">The number of events in the referral's history.</param>
public sealed record LoadedReferral(ReferralState State, long Version, ETag ETag);

/// <summary>An effect waiting in a referral's outbox.</summary>
public sealed record OutboxItem(string Reference, string RowKey, string MessageId, Effect Effect, DateTimeOffset CreatedAt);

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
/// Keeps each referral's state, history and outbox in its own partition of the Referrals table,
/// and writes all three in one entity group transaction: a step happens entirely or not at all.
/// The state row is written with its ETag, so of two concurrent steps exactly one lands.
/// </summary>
/// <remarks>
/// Row keys: <c>state</c>; <c>event|0000000001</c>… (append-only; the number is the history
/// position); <c>outbox|&lt;version&gt;|&lt;n&gt;</c> (deleted once carried out); <c>command|&lt;key hash&gt;</c>
/// (a client's idempotency key, written with the step it caused); <c>form</c> (the referral form).
/// </remarks>
public sealed class ReferralWorkflowStore
{
    public const string StateRow = "state";
    private const string EventPrefix = "event|";
    private const string OutboxPrefix = "outbox|";
    private const string CommandPrefix = "command|";
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

    /// <summary>The version the command with this key produced, or null when the key is unused.</summary>
    public async Task<long?> GetCommandVersionAsync(string reference, string keyHash, CancellationToken cancellationToken = default)
    {
        var row = await _table.GetEntityIfExistsAsync(reference, CommandPrefix + keyHash, ["Version"], cancellationToken).ConfigureAwait(false);
        return row?.GetInt64("Version");
    }

    /// <summary>
    /// Writes a step: the new state (conditional on <paramref name="before"/>'s ETag, or new), its
    /// events, its effects and any <paramref name="extraRows"/>, in one transaction.
    /// </summary>
    /// <exception cref="ConcurrentChangeException">Another step landed first; nothing was written.</exception>
    public async Task<long> CommitAsync(
        string reference,
        LoadedReferral? before,
        ReferralState after,
        IReadOnlyList<ReferralEvent> events,
        IReadOnlyList<Effect> effects,
        DateTimeOffset now,
        string? commandKeyHash = null,
        IEnumerable<TableEntity>? extraRows = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(effects);
        var version = (before?.Version ?? 0) + events.Count;
        var actions = new List<TableTransactionAction>();
        var state = StateEntity(reference, after, version);
        actions.Add(before is null
            ? new TableTransactionAction(TableTransactionActionType.Add, state)
            : new TableTransactionAction(TableTransactionActionType.UpdateReplace, state, before.ETag));

        var sequence = before?.Version ?? 0;
        foreach (var e in events)
        {
            sequence++;
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(reference, EventKey(sequence))
            {
                ["Type"] = e.GetType().Name,
                ["At"] = e.At,
                ["ActorId"] = e.By.Id,
                ["ActorRole"] = e.By.Role.ToString(),
                ["Event"] = _encryption.Encrypt(WorkflowJson.Serialize(e), reference + "|" + EventKey(sequence)),
            }));
        }

        for (var i = 0; i < effects.Count; i++)
        {
            var key = string.Create(CultureInfo.InvariantCulture, $"{OutboxPrefix}{version:D10}|{i:D3}");
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(reference, key)
            {
                ["MessageId"] = string.Create(CultureInfo.InvariantCulture, $"{reference}|{version:D10}|{i:D3}"),
                ["Effect"] = WorkflowJson.Serialize(effects[i]),
                ["CreatedAt"] = now,
            }));
        }

        if (commandKeyHash is not null)
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(reference, CommandPrefix + commandKeyHash)
            {
                ["Version"] = version,
                ["At"] = now,
            }));
        }

        actions.AddRange((extraRows ?? []).Select(r => new TableTransactionAction(TableTransactionActionType.Add, r)));
        if (actions.Count > 100)
        {
            throw new InvalidOperationException($"A step of {actions.Count} rows exceeds one transaction.");
        }

        try
        {
            await _table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 412 or 409)
        {
            throw new ConcurrentChangeException("The referral changed while this step was being decided.", ex);
        }
        catch (TableOutcomeUnknownException ex)
        {
            // The transaction may or may not have landed. Re-read: if the state has this step's
            // version, the step is in; otherwise nothing was written and the caller retries.
            var now2 = await LoadAsync(reference, cancellationToken).ConfigureAwait(false);
            if (now2 is null || now2.Version < version || !await HasEventAsync(reference, version, events[^1], cancellationToken).ConfigureAwait(false))
            {
                throw new ConcurrentChangeException("The outcome of the write was unknown and it did not land.", ex);
            }
        }

        return version;
    }

    public async Task<IReadOnlyList<HistoryEntry>> ReadHistoryAsync(string reference, CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {reference} and RowKey gt {EventPrefix} and RowKey lt {EventPrefix + "~"}");
        var entries = new List<HistoryEntry>();
        await foreach (var row in _table.QueryAsync(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            entries.Add(new HistoryEntry(
                long.Parse(row.RowKey[EventPrefix.Length..], CultureInfo.InvariantCulture),
                WorkflowJson.Deserialize<ReferralEvent>(_encryption.Decrypt(row.GetString("Event") ?? throw new InvalidDataException("An event row has no Event."), reference + "|" + row.RowKey))));
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

    public async Task<IReadOnlyList<OutboxItem>> ReadOutboxAsync(string reference, CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {reference} and RowKey gt {OutboxPrefix} and RowKey lt {OutboxPrefix + "~"}");
        var items = new List<OutboxItem>();
        await foreach (var row in _table.QueryAsync(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            items.Add(new OutboxItem(
                reference,
                row.RowKey,
                row.GetString("MessageId") ?? row.RowKey,
                WorkflowJson.Deserialize<Effect>(row.GetString("Effect") ?? throw new InvalidDataException("An outbox row has no Effect.")),
                row.GetDateTimeOffset("CreatedAt") ?? default));
        }

        return items;
    }

    /// <summary>Removes a carried-out effect from the outbox; an already removed one is fine.</summary>
    public async Task DeleteOutboxAsync(OutboxItem item, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        try
        {
            await _table.DeleteEntityAsync(item.Reference, item.RowKey, ETag.All, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
        }
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

    private async Task<bool> HasEventAsync(string reference, long sequence, ReferralEvent expected, CancellationToken cancellationToken)
    {
        var row = await _table.GetEntityIfExistsAsync(reference, EventKey(sequence), ["Event"], cancellationToken).ConfigureAwait(false);
        return row?.GetString("Event") is { } stored && _encryption.Decrypt(stored, reference + "|" + EventKey(sequence)) == WorkflowJson.Serialize(expected);
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
