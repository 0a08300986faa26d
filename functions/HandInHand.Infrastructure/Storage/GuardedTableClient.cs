using System.Globalization;
using System.Runtime.CompilerServices;
using Azure;
using Azure.Core.Pipeline;
using Azure.Data.Tables;

namespace HandInHand.Infrastructure.Storage;

/// <summary>
/// An Azure.Data.Tables <see cref="TableClient"/> with the guarantees the SDK leaves to its callers:
/// keys are checked before any request (<see cref="TableKeys"/>); an insert whose answer was lost is
/// reconciled with a point read, never re-sent blindly; a conditional update whose first attempt
/// landed before its answer was lost is recognised as ours; a transaction is checked against the
/// service's rules (one partition, each entity once, at most 100 actions) before it is sent.
/// The SDK client must be built with <see cref="CreateClientOptions"/>, whose retry policy
/// (<see cref="TableRetryPolicy"/>) never re-sends an insert or a transaction that may have landed.
/// Failures are the SDK's <see cref="RequestFailedException"/> (status and error code),
/// <see cref="TableTransactionFailedException"/> for a rejected transaction, and
/// <see cref="TableOutcomeUnknownException"/> when a write's fate could not be settled.
/// </summary>
public sealed class GuardedTableClient
{
    /// <summary>The most actions one entity group transaction may hold.</summary>
    public const int MaxTransactionActions = 100;

    private const int MaxPageSize = 1000;

    /// <summary>Wraps a client built with <see cref="CreateClientOptions"/>.</summary>
    public GuardedTableClient(TableClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        Client = client;
    }

    /// <summary>The SDK client underneath, for what needs no guarantee of ours.</summary>
    public TableClient Client { get; }

    /// <summary>The table name.</summary>
    public string Name => Client.Name;

    /// <summary>
    /// Options for every table client of the app: a few short exponential retries (3, from 200 ms to
    /// at most 5 s) under <see cref="TableRetryPolicy"/>. <paramref name="configure"/> may change
    /// <c>Retry</c> and add policies; the retry policy is installed after it.
    /// </summary>
    public static TableClientOptions CreateClientOptions(Action<TableClientOptions>? configure = null)
    {
        var options = new TableClientOptions();
        options.Retry.MaxRetries = 3;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(5);
        configure?.Invoke(options);
        options.RetryPolicy = new TableRetryPolicy(options.Retry.MaxRetries, options.Retry.Delay, options.Retry.MaxDelay);
        return options;
    }

    /// <summary>A client on <paramref name="tableName"/> from a connection string (<c>UseDevelopmentStorage=true</c> included).</summary>
    public static GuardedTableClient FromConnectionString(string connectionString, string tableName, Action<TableClientOptions>? configure = null) =>
        new(new TableClient(connectionString, tableName, CreateClientOptions(configure)));

    /// <summary>Creates the table; an existing table is not an error.</summary>
    public async Task CreateIfNotExistsAsync(CancellationToken cancellationToken = default) =>
        await Client.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Deletes the table and everything in it; an absent table is not an error.</summary>
    public async Task DeleteTableAsync(CancellationToken cancellationToken = default) =>
        await Client.DeleteAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Inserts a new entity and returns its ETag; 409 <c>EntityAlreadyExists</c> when the keys are taken.
    /// </summary>
    /// <remarks>
    /// When the answer is lost (500/502/504, a 503 that is not ServerBusy, a timeout, a connection
    /// broken after the request went out) the insert may have landed. The entity is read back: the
    /// same properties mean it is ours, and its ETag is returned; other properties are a 409; absence
    /// sends the insert once more. A 409 on that second send is checked the same way. If nothing
    /// settles it, <see cref="TableOutcomeUnknownException"/>.
    /// </remarks>
    public async Task<ETag> AddEntityAsync(TableEntity entity, CancellationToken cancellationToken = default)
    {
        TableKeys.Check(entity, nameof(entity));
        for (int attempt = 1; ; attempt++)
        {
            Exception ambiguity;
            try
            {
                var response = await Client.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
                return response.Headers.ETag ?? default;
            }
            catch (RequestFailedException conflict) when (conflict.Status == 409 && attempt > 1)
            {
                // A conflict on the second send may be our own first insert, applied late.
                var existing = await ReadBackAsync(entity, conflict, nameof(AddEntityAsync), cancellationToken).ConfigureAwait(false);
                if (existing is not null && StoredEntityMatch.Same(entity, existing))
                {
                    return existing.ETag;
                }

                throw;
            }
            catch (Exception e) when (TableFailures.LeavesOutcomeUnknown(e, cancellationToken))
            {
                ambiguity = e;
            }

            var stored = await ReadBackAsync(entity, ambiguity, nameof(AddEntityAsync), cancellationToken).ConfigureAwait(false);
            if (stored is not null)
            {
                return StoredEntityMatch.Same(entity, stored)
                    ? stored.ETag
                    : throw new RequestFailedException(409, $"{nameof(AddEntityAsync)} on table '{Name}': another entity with these keys exists.", "EntityAlreadyExists", ambiguity);
            }

            if (attempt >= 2)
            {
                throw new TableOutcomeUnknownException(nameof(AddEntityAsync), Name, StatusOf(ambiguity), (ambiguity as RequestFailedException)?.ErrorCode, ambiguity);
            }
        }
    }

    /// <summary>
    /// Inserts the entity, or merges into / replaces the stored one, without any ETag check (last
    /// write wins: use it only where that is right). Returns the new ETag.
    /// </summary>
    public async Task<ETag> UpsertEntityAsync(TableEntity entity, TableUpdateMode mode, CancellationToken cancellationToken = default)
    {
        TableKeys.Check(entity, nameof(entity));
        var response = await Client.UpsertEntityAsync(entity, mode, cancellationToken).ConfigureAwait(false);
        return response.Headers.ETag ?? default;
    }

    /// <summary>
    /// Merges into or replaces the stored entity if its ETag still equals <paramref name="ifMatch"/>
    /// and returns the new ETag; 412 when it changed, 404 when it is gone. <see cref="ETag.All"/> is the
    /// explicit opt-out that overwrites any version.
    /// </summary>
    /// <remarks>
    /// A conditional update is re-sent after a lost answer; if the first attempt landed, the re-sent
    /// one fails its own precondition. So a 412 after a re-send reads the entity back: when it holds
    /// what this update sent (all of it for a replace, the sent properties for a merge) the update
    /// is ours and the stored ETag is returned. Without a re-send a 412 always stands: another writer
    /// who wrote the same values is not us.
    /// </remarks>
    public async Task<ETag> UpdateEntityAsync(TableEntity entity, ETag ifMatch, TableUpdateMode mode, CancellationToken cancellationToken = default)
    {
        TableKeys.Check(entity, nameof(entity));
        RequireETag(ifMatch, nameof(ifMatch));
        var resend = new ResendMarker();
        try
        {
            using (HttpPipeline.CreateHttpMessagePropertiesScope(new Dictionary<string, object?> { [TableRetryPolicy.ResendMarkerProperty] = resend }))
            {
                var response = await Client.UpdateEntityAsync(entity, ifMatch, mode, cancellationToken).ConfigureAwait(false);
                return response.Headers.ETag ?? default;
            }
        }
        catch (RequestFailedException failure) when (failure.Status == 412 && resend.Resent)
        {
            var stored = await ReadBackAsync(entity, failure, nameof(UpdateEntityAsync), cancellationToken).ConfigureAwait(false);
            bool ours = stored is not null
                && (mode == TableUpdateMode.Merge ? StoredEntityMatch.Includes(stored, entity) : StoredEntityMatch.Same(entity, stored));
            if (ours)
            {
                return stored!.ETag;
            }

            throw;
        }
    }

    /// <summary>
    /// Replaces <paramref name="entity"/> if nobody changed it since it was read (its own ETag) and
    /// takes the new ETag; false, changing nothing, when somebody did.
    /// </summary>
    public async Task<bool> TryReplaceUnchangedAsync(TableEntity entity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entity);
        try
        {
            entity.ETag = await UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            return false;
        }
    }

    /// <summary>
    /// Deletes the entity if its ETag still equals <paramref name="ifMatch"/> (<see cref="ETag.All"/>: any
    /// version); 412 when it changed. One that is already gone is fine (the SDK's rule, which also
    /// covers a re-sent delete whose first attempt landed).
    /// </summary>
    public async Task DeleteEntityAsync(string partitionKey, string rowKey, ETag ifMatch, CancellationToken cancellationToken = default)
    {
        TableKeys.Check(partitionKey, rowKey, nameof(partitionKey));
        RequireETag(ifMatch, nameof(ifMatch));
        await Client.DeleteEntityAsync(partitionKey, rowKey, ifMatch, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes the entity, whatever its version; one that is already gone is fine. True when this call removed it.</summary>
    public async Task<bool> DeleteIfExistsAsync(string partitionKey, string rowKey, CancellationToken cancellationToken = default)
    {
        TableKeys.Check(partitionKey, rowKey, nameof(partitionKey));
        var response = await Client.DeleteEntityAsync(partitionKey, rowKey, ETag.All, cancellationToken).ConfigureAwait(false);
        return response.Status != 404;
    }

    /// <summary>Reads one entity, or <c>null</c> when it does not exist.</summary>
    /// <param name="partitionKey">The partition key.</param>
    /// <param name="rowKey">The row key.</param>
    /// <param name="select">Properties to return (the keys always come back); <c>null</c> for all.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public async Task<TableEntity?> GetEntityIfExistsAsync(
        string partitionKey, string rowKey, IEnumerable<string>? select = null, CancellationToken cancellationToken = default)
    {
        TableKeys.Check(partitionKey, rowKey, nameof(partitionKey));
        var response = await Client.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, WithKeys(select), cancellationToken).ConfigureAwait(false);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>
    /// Streams the entities matching <paramref name="filter"/> (build it with
    /// <see cref="TableClient.CreateQueryFilter(FormattableString)"/>), following continuations to the end.
    /// </summary>
    /// <param name="filter">An OData filter, or <c>null</c> for every entity.</param>
    /// <param name="select">Properties to return (the keys always come back); <c>null</c> for all.</param>
    /// <param name="pageSize">Entities per request (1–1000); <c>null</c> for the service's maximum.</param>
    /// <param name="cancellationToken">Cancels the query between or during pages.</param>
    public IAsyncEnumerable<TableEntity> QueryAsync(
        string? filter = null, IEnumerable<string>? select = null, int? pageSize = null, CancellationToken cancellationToken = default)
    {
        // Azurite accepts any $top; Azure serves at most 1,000 per page.
        if (pageSize is < 1 or > MaxPageSize)
        {
            throw new ArgumentOutOfRangeException(nameof(pageSize), pageSize, "The page size must be between 1 and 1000.");
        }

        return Client.QueryAsync<TableEntity>(filter, pageSize, WithKeys(select), cancellationToken);
    }

    /// <summary>
    /// Applies the actions atomically and returns each action's new ETag (<c>default</c> for deletes),
    /// in order. Checked before sending: 1–100 actions, one PartitionKey, each entity once, valid
    /// keys, an ETag on every update and delete (the action's or else the entity's; <see cref="ETag.All"/> to overwrite).
    /// </summary>
    /// <exception cref="ArgumentException">The actions break one of those rules; nothing was sent.</exception>
    /// <exception cref="TableTransactionFailedException">The service rejected the transaction and applied nothing.</exception>
    /// <exception cref="TableOutcomeUnknownException">The answer was lost; the transaction is not re-sent.</exception>
    public async Task<IReadOnlyList<ETag>> SubmitTransactionAsync(IEnumerable<TableTransactionAction> actions, CancellationToken cancellationToken = default)
    {
        var list = CheckTransaction(actions);
        Response<IReadOnlyList<Response>> response;
        try
        {
            response = await Client.SubmitTransactionAsync(list, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not TableTransactionFailedException && TableFailures.LeavesOutcomeUnknown(e, cancellationToken))
        {
            throw new TableOutcomeUnknownException(nameof(SubmitTransactionAsync), Name, StatusOf(e), (e as RequestFailedException)?.ErrorCode, e);
        }

        return [.. list.Select((action, i) => action.ActionType == TableTransactionActionType.Delete ? default : response.Value[i].Headers.ETag ?? default)];
    }

    // A transaction over 100 actions gets an answer from Azurite that the SDK cannot parse (Azure
    // answers 400), and Azurite applies a transaction that spans partitions (Azure refuses it):
    // checking here keeps code that passes on Azurite from failing differently on Azure.
    private static List<TableTransactionAction> CheckTransaction(IEnumerable<TableTransactionAction> actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        var list = new List<TableTransactionAction>();
        var rowKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var action in actions)
        {
            int index = list.Count;
            if (index == MaxTransactionActions)
            {
                throw new ArgumentException("A transaction holds at most 100 actions.", nameof(actions));
            }

            if (action?.Entity is null)
            {
                throw new ArgumentException(Invariant($"Action {index} or its entity is null."), nameof(actions));
            }

            TableKeys.Check(action.Entity, nameof(actions));
            if (list.Count > 0 && !string.Equals(list[0].Entity.PartitionKey, action.Entity.PartitionKey, StringComparison.Ordinal))
            {
                throw new ArgumentException(Invariant($"Action {index} has a different PartitionKey; a transaction stays within one partition."), nameof(actions));
            }

            if (!rowKeys.Add(action.Entity.RowKey))
            {
                throw new ArgumentException(Invariant($"Action {index} touches an entity an earlier action already touches; each entity may appear once."), nameof(actions));
            }

            list.Add(WithIfMatch(action, index));
        }

        return list.Count > 0 ? list : throw new ArgumentException("A transaction needs at least one action.", nameof(actions));
    }

    private static TableTransactionAction WithIfMatch(TableTransactionAction action, int index)
    {
        if (action.ActionType is not (TableTransactionActionType.UpdateMerge or TableTransactionActionType.UpdateReplace or TableTransactionActionType.Delete))
        {
            return action;
        }

        var etag = action.ETag != default ? action.ETag : action.Entity.ETag;
        return etag != default
            ? new TableTransactionAction(action.ActionType, action.Entity, etag)
            : throw new ArgumentException(
                Invariant($"Action {index} ({action.ActionType}) has no ETag: set the action's or the entity's ETag, or pass ETag.All to overwrite whatever is stored."),
                nameof(action));
    }

    /// <summary>The point read that settles an ambiguous write; if it fails too, the outcome stays unknown.</summary>
    private async Task<TableEntity?> ReadBackAsync(TableEntity sent, Exception ambiguity, string operation, CancellationToken cancellationToken)
    {
        try
        {
            return await GetEntityIfExistsAsync(sent.PartitionKey, sent.RowKey, null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception readFailure) when (readFailure is RequestFailedException || TableFailures.IsTransportFailure(readFailure, cancellationToken))
        {
            throw new TableOutcomeUnknownException(
                operation, Name, StatusOf(ambiguity), (ambiguity as RequestFailedException)?.ErrorCode, new AggregateException(ambiguity, readFailure));
        }
    }

    // The keys always come back, so that every returned entity can be addressed again.
    private static List<string>? WithKeys(IEnumerable<string>? select) =>
        select is null
            ? null
            : [.. new[] { nameof(ITableEntity.PartitionKey), nameof(ITableEntity.RowKey) }.Concat(select).Distinct(StringComparer.Ordinal)];

    private static int StatusOf(Exception failure) => (failure as RequestFailedException)?.Status ?? 0;

    private static void RequireETag(ETag ifMatch, string paramName)
    {
        if (ifMatch == default)
        {
            throw new ArgumentException("An ETag is required: pass the entity's ETag, or ETag.All to overwrite whatever is stored.", paramName);
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
