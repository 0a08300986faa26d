using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using HandInHand.Infrastructure.Http;

namespace HandInHand.Infrastructure.Tables;

/// <summary>
/// A client for one Azure Table Storage table, speaking the Table REST API over an Azure.Core
/// <see cref="HttpPipeline"/>. Authenticates with SharedKeyLite (connection string) or a Microsoft
/// Entra token (<see cref="TokenCredential"/>). Failures surface as <see cref="TableStorageException"/>;
/// an expected absence (<see cref="GetEntityIfExistsAsync"/>) is <c>null</c>, not an exception.
/// Thread-safe; create one per table and reuse it.
/// </summary>
/// <remarks>
/// Retries never re-send an insert or a transaction that may already have been applied. After an
/// ambiguous insert failure <see cref="AddEntityAsync"/> reads the entity back and decides; an
/// ambiguous transaction failure is reported as <see cref="TableFailureKind.OutcomeUnknown"/>.
/// </remarks>
public sealed class TableClient
{
    private const string StorageScope = "https://storage.azure.com/.default";
    private const string ContinuationPartitionKeyHeader = "x-ms-continuation-NextPartitionKey";
    private const string ContinuationRowKeyHeader = "x-ms-continuation-NextRowKey";
    private const string JsonContentType = "application/json";
    private const int MaxTransactionActions = 100;
    private const int MaxTransactionBytes = 4 * 1024 * 1024;
    private const int MaxPageSize = 1000;

    private static readonly RequestMethod MergeMethod = new("MERGE");

    private readonly HttpPipeline _pipeline;
    private readonly string _endpoint;

    /// <summary>
    /// Creates a client that signs requests with SharedKeyLite. Accepts
    /// <c>UseDevelopmentStorage=true</c>, <c>AccountName</c>/<c>AccountKey</c> with optional
    /// <c>DefaultEndpointsProtocol</c>/<c>EndpointSuffix</c>, and an explicit <c>TableEndpoint</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The connection string or table name is not valid.</exception>
    public TableClient(string connectionString, string tableName, TableClientOptions? options = null)
    {
        TableGuards.TableName(tableName, nameof(tableName));
        var account = StorageConnectionString.Parse(connectionString, nameof(connectionString));
        Name = tableName;
        _endpoint = account.TableEndpoint.AbsoluteUri.TrimEnd('/');
        _pipeline = BuildPipeline(options, new SharedKeyLitePolicy(account.AccountName, account.AccountKey));
    }

    /// <summary>
    /// Creates a client that sends <c>Authorization: Bearer</c> tokens for
    /// <c>https://storage.azure.com/.default</c> obtained from <paramref name="credential"/>.
    /// </summary>
    /// <param name="accountEndpoint">The table service endpoint, e.g. <c>https://myaccount.table.core.windows.net</c>.</param>
    /// <param name="tableName">The table.</param>
    /// <param name="credential">The Entra credential (the identity needs a Storage Table Data role).</param>
    /// <param name="options">Client options.</param>
    public TableClient(Uri accountEndpoint, string tableName, TokenCredential credential, TableClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(accountEndpoint);
        ArgumentNullException.ThrowIfNull(credential);
        TableGuards.TableName(tableName, nameof(tableName));
        if (!accountEndpoint.IsAbsoluteUri || accountEndpoint.Scheme != Uri.UriSchemeHttps)
        {
            // Azure.Core's bearer policy refuses plain http at the first request; say so up front.
            throw new ArgumentException("The account endpoint must be an absolute https URI: bearer tokens are never sent over plain http.", nameof(accountEndpoint));
        }

        Name = tableName;
        _endpoint = accountEndpoint.AbsoluteUri.TrimEnd('/');
        _pipeline = BuildPipeline(options, new BearerTokenAuthenticationPolicy(credential, StorageScope));
    }

    /// <summary>The table name.</summary>
    public string Name { get; }

    private string TableUrl => _endpoint + "/" + Name;

    /// <summary>Creates the table; an existing table is not an error.</summary>
    public async Task CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Post, _endpoint + "/Tables", RequestSafety.Idempotent, EntityJson.SerializeTableName(Name));
        message.Request.Headers.Add("Prefer", "return-no-content");
        var response = await SendAsync(message, nameof(CreateIfNotExistsAsync), cancellationToken).ConfigureAwait(false);
        if (IsSuccess(response) || (response.Status == 409 && TableErrors.ErrorCode(response) == "TableAlreadyExists"))
        {
            return;
        }

        throw TableErrors.FromResponse(response, nameof(CreateIfNotExistsAsync), Name);
    }

    /// <summary>Deletes the table and everything in it; an absent table is not an error.</summary>
    public async Task DeleteTableAsync(CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Delete, _endpoint + "/Tables('" + Name + "')", RequestSafety.Idempotent);
        var response = await SendAsync(message, nameof(DeleteTableAsync), cancellationToken).ConfigureAwait(false);
        if (IsSuccess(response) || response.Status == 404)
        {
            return;
        }

        throw TableErrors.FromResponse(response, nameof(DeleteTableAsync), Name);
    }

    /// <summary>
    /// Inserts a new entity and returns its ETag. Fails with <see cref="TableFailureKind.Conflict"/>
    /// (<c>EntityAlreadyExists</c>) if an entity with the same keys exists.
    /// </summary>
    /// <remarks>
    /// If the service answers 500/502/504 or the connection breaks after the request went out, the
    /// insert may have been applied. The client then reads the entity: if it holds exactly the
    /// properties sent, that is our insert and its ETag is returned; if it is absent the insert is
    /// sent once more; if it holds something else the result is a conflict. When even that cannot
    /// settle it, the failure is <see cref="TableFailureKind.OutcomeUnknown"/>.
    /// </remarks>
    public async Task<ETag> AddEntityAsync(TableEntity entity, CancellationToken cancellationToken = default)
    {
        TableGuards.EntityKeys(entity, nameof(entity));
        const string operation = nameof(AddEntityAsync);
        byte[] body = EntityJson.Serialize(entity);

        for (int attempt = 1; ; attempt++)
        {
            TableStorageException ambiguity;
            using (var message = CreateMessage(RequestMethod.Post, TableUrl, RequestSafety.NotIdempotent, body))
            {
                message.Request.Headers.Add("Prefer", "return-no-content");
                Exception? transportFailure = await TrySendAsync(message, cancellationToken).ConfigureAwait(false);
                if (transportFailure is null)
                {
                    var response = message.Response;
                    if (IsSuccess(response))
                    {
                        return ETagOf(response);
                    }

                    if (response.Status == 409)
                    {
                        var conflict = TableErrors.FromResponse(response, operation, Name);
                        if (attempt == 1)
                        {
                            throw conflict;
                        }

                        // A conflict on the second try may be our own first insert, applied late.
                        var existing = await ReadBackAsync(entity, conflict, operation, cancellationToken).ConfigureAwait(false);
                        return existing is not null && EntityComparison.SameProperties(entity, existing) ? existing.ETag : throw conflict;
                    }

                    if (!IsAmbiguous(response))
                    {
                        throw TableErrors.FromResponse(response, operation, Name);
                    }

                    ambiguity = TableErrors.FromResponse(response, operation, Name, TableFailureKind.OutcomeUnknown);
                }
                else if (TransportFailures.NothingWasSent(transportFailure))
                {
                    throw TableErrors.Create(TableFailureKind.Other, 0, null, operation, Name, null, transportFailure);
                }
                else
                {
                    ambiguity = TableErrors.Create(TableFailureKind.OutcomeUnknown, 0, null, operation, Name, null, transportFailure);
                }
            }

            // The insert may or may not have been applied: look before sending it again.
            var stored = await ReadBackAsync(entity, ambiguity, operation, cancellationToken).ConfigureAwait(false);
            if (stored is not null)
            {
                return EntityComparison.SameProperties(entity, stored)
                    ? stored.ETag
                    : throw TableErrors.Create(TableFailureKind.Conflict, 409, "EntityAlreadyExists", operation, Name, null, ambiguity);
            }

            if (attempt >= 2)
            {
                throw ambiguity;
            }
        }
    }

    /// <summary>
    /// Inserts the entity, or merges into / replaces the stored one, without any ETag check
    /// (last write wins: use it only where that is right). Returns the new ETag.
    /// </summary>
    public Task<ETag> UpsertEntityAsync(TableEntity entity, TableUpdateMode mode, CancellationToken cancellationToken = default)
    {
        TableGuards.EntityKeys(entity, nameof(entity));
        ValidateMode(mode);
        return WriteEntityAsync(nameof(UpsertEntityAsync), entity, mode, ifMatch: null, cancellationToken);
    }

    /// <summary>
    /// Merges into or replaces the stored entity if its ETag still equals <paramref name="ifMatch"/>;
    /// returns the new ETag. Fails with <see cref="TableFailureKind.PreconditionFailed"/>
    /// (<c>UpdateConditionNotSatisfied</c>) when it changed and <see cref="TableFailureKind.NotFound"/>
    /// when it is gone. <see cref="ETag.All"/> is the explicit opt-out that overwrites any version.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="ifMatch"/> is <c>default</c>.</exception>
    public Task<ETag> UpdateEntityAsync(TableEntity entity, ETag ifMatch, TableUpdateMode mode, CancellationToken cancellationToken = default)
    {
        TableGuards.EntityKeys(entity, nameof(entity));
        RequireETag(ifMatch, nameof(ifMatch));
        ValidateMode(mode);
        return WriteEntityAsync(nameof(UpdateEntityAsync), entity, mode, ifMatch, cancellationToken);
    }

    /// <summary>
    /// Deletes the entity if its ETag still equals <paramref name="ifMatch"/> (<see cref="ETag.All"/>:
    /// any version). Fails with <see cref="TableFailureKind.NotFound"/> when it does not exist.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="ifMatch"/> is <c>default</c>, or a key is not valid.</exception>
    public async Task DeleteEntityAsync(string partitionKey, string rowKey, ETag ifMatch, CancellationToken cancellationToken = default)
    {
        TableGuards.Key(partitionKey, TableEntity.PartitionKeyName, nameof(partitionKey));
        TableGuards.Key(rowKey, TableEntity.RowKeyName, nameof(rowKey));
        RequireETag(ifMatch, nameof(ifMatch));
        using var message = CreateMessage(RequestMethod.Delete, EntityUrl(partitionKey, rowKey), RequestSafety.Idempotent);
        message.Request.Headers.Add(HttpHeader.Names.IfMatch, ifMatch.ToString());
        var response = await SendAsync(message, nameof(DeleteEntityAsync), cancellationToken).ConfigureAwait(false);
        if (!IsSuccess(response))
        {
            throw TableErrors.FromResponse(response, nameof(DeleteEntityAsync), Name);
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
        catch (TableStorageException ex) when (ex.Kind == TableFailureKind.PreconditionFailed)
        {
            return false;
        }
    }

    /// <summary>Deletes the entity, whatever its version; one that is already gone is fine. True when this call removed it.</summary>
    public async Task<bool> DeleteIfExistsAsync(string partitionKey, string rowKey, CancellationToken cancellationToken = default)
    {
        try
        {
            await DeleteEntityAsync(partitionKey, rowKey, ETag.All, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TableStorageException ex) when (ex.Kind == TableFailureKind.NotFound && ex.ErrorCode != "TableNotFound")
        {
            return false;
        }
    }

    /// <summary>
    /// Reads one entity, or <c>null</c> when it does not exist. A missing table is still an error
    /// (<see cref="TableFailureKind.NotFound"/>, <c>TableNotFound</c>) when the service says so.
    /// </summary>
    /// <param name="partitionKey">The partition key.</param>
    /// <param name="rowKey">The row key.</param>
    /// <param name="select">Properties to return (the keys always come back); <c>null</c> for all.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public async Task<TableEntity?> GetEntityIfExistsAsync(
        string partitionKey, string rowKey, IEnumerable<string>? select = null, CancellationToken cancellationToken = default)
    {
        TableGuards.Key(partitionKey, TableEntity.PartitionKeyName, nameof(partitionKey));
        TableGuards.Key(rowKey, TableEntity.RowKeyName, nameof(rowKey));
        var selected = TableGuards.Select(select, nameof(select));
        string url = EntityUrl(partitionKey, rowKey);
        if (selected is not null)
        {
            url += "?$select=" + SelectParameter(selected);
        }

        using var message = CreateMessage(RequestMethod.Get, url, RequestSafety.Idempotent);
        var response = await SendAsync(message, nameof(GetEntityIfExistsAsync), cancellationToken).ConfigureAwait(false);
        if (response.Status == 404)
        {
            string? code = TableErrors.ErrorCode(response);
            return code == "TableNotFound" ? throw TableErrors.FromResponse(response, nameof(GetEntityIfExistsAsync), Name) : null;
        }

        if (!IsSuccess(response))
        {
            throw TableErrors.FromResponse(response, nameof(GetEntityIfExistsAsync), Name);
        }

        using var document = JsonDocument.Parse(response.Content.ToMemory());
        string? etag = response.Headers.TryGetValue(HttpHeader.Names.ETag, out var header) ? header : null;
        return EntityJson.Deserialize(document.RootElement, etag);
    }

    /// <summary>
    /// Streams the entities matching <paramref name="filter"/> (build it with <see cref="TableFilter.Create"/>),
    /// page by page, following the continuation headers to the end; a page may be empty and still
    /// have a successor.
    /// </summary>
    /// <param name="filter">An OData filter, or <c>null</c> for every entity.</param>
    /// <param name="select">Properties to return (the keys always come back); <c>null</c> for all.</param>
    /// <param name="pageSize">Entities per request (<c>$top</c>, 1–1000); <c>null</c> for the service's maximum.</param>
    /// <param name="cancellationToken">Cancels the query between or during pages.</param>
    public IAsyncEnumerable<TableEntity> QueryAsync(
        string? filter = null,
        IEnumerable<string>? select = null,
        int? pageSize = null,
        CancellationToken cancellationToken = default)
    {
        // Guards run now, not at the first MoveNextAsync.
        if (pageSize is < 1 or > MaxPageSize)
        {
            throw new ArgumentOutOfRangeException(nameof(pageSize), pageSize, "The page size must be between 1 and 1000.");
        }

        var selected = TableGuards.Select(select, nameof(select));
        var fixedQuery = new List<string>();
        if (!string.IsNullOrWhiteSpace(filter))
        {
            fixedQuery.Add("$filter=" + Uri.EscapeDataString(filter));
        }

        if (selected is not null)
        {
            fixedQuery.Add("$select=" + SelectParameter(selected));
        }

        if (pageSize is int top)
        {
            fixedQuery.Add("$top=" + top.ToString(CultureInfo.InvariantCulture));
        }

        return QueryPagesAsync(fixedQuery, cancellationToken);
    }

    private async IAsyncEnumerable<TableEntity> QueryPagesAsync(
        List<string> fixedQuery, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? nextPartitionKey = null;
        string? nextRowKey = null;
        do
        {
            // The continuation must be sent with the original filter, select and top.
            var query = new List<string>(fixedQuery);
            if (nextPartitionKey is not null)
            {
                query.Add("NextPartitionKey=" + Uri.EscapeDataString(nextPartitionKey));
            }

            if (nextRowKey is not null)
            {
                query.Add("NextRowKey=" + Uri.EscapeDataString(nextRowKey));
            }

            string url = TableUrl + "()" + (query.Count > 0 ? "?" + string.Join('&', query) : string.Empty);
            List<TableEntity> page;
            using (var message = CreateMessage(RequestMethod.Get, url, RequestSafety.Idempotent))
            {
                var response = await SendAsync(message, nameof(QueryAsync), cancellationToken).ConfigureAwait(false);
                if (!IsSuccess(response))
                {
                    throw TableErrors.FromResponse(response, nameof(QueryAsync), Name);
                }

                page = ReadPage(response);
                nextPartitionKey = ContinuationHeader(response, ContinuationPartitionKeyHeader);
                nextRowKey = nextPartitionKey is null ? null : ContinuationHeader(response, ContinuationRowKeyHeader);
            }

            foreach (var entity in page)
            {
                yield return entity;
            }
        }
        while (nextPartitionKey is not null);
    }

    /// <summary>
    /// Applies the actions atomically as one entity group transaction and returns each action's
    /// new ETag (<c>default</c> for deletes), in order. All actions must share one PartitionKey,
    /// touch each entity once and number 1–100; this is checked before anything is sent.
    /// </summary>
    /// <exception cref="ArgumentException">The actions break a transaction rule, or an update/delete has no ETag.</exception>
    /// <exception cref="TableTransactionFailedException">
    /// The service rejected the transaction and applied nothing; <see cref="TableTransactionFailedException.FailedActionIndex"/>
    /// names the failing action.
    /// </exception>
    /// <exception cref="TableStorageException">
    /// With <see cref="TableFailureKind.OutcomeUnknown"/>: the answer was lost (500/502/504 or a broken
    /// connection) and the transaction may or may not have been applied; it is not re-sent.
    /// </exception>
    public async Task<IReadOnlyList<ETag>> SubmitTransactionAsync(
        IEnumerable<TableTransactionAction> actions, CancellationToken cancellationToken = default)
    {
        const string operation = nameof(SubmitTransactionAsync);
        var operations = PrepareTransaction(actions, out var list);
        string batchBoundary = "batch_" + Guid.NewGuid().ToString("D", CultureInfo.InvariantCulture);
        string changesetBoundary = "changeset_" + Guid.NewGuid().ToString("D", CultureInfo.InvariantCulture);
        byte[] body = TableBatch.WriteRequest(batchBoundary, changesetBoundary, operations);
        if (body.Length > MaxTransactionBytes)
        {
            throw new ArgumentException("The transaction is larger than 4 MiB.", nameof(actions));
        }

        using var message = CreateMessage(
            RequestMethod.Post, _endpoint + "/$batch", RequestSafety.NotIdempotent, body, "multipart/mixed; boundary=" + batchBoundary);
        Exception? transportFailure = await TrySendAsync(message, cancellationToken).ConfigureAwait(false);
        if (transportFailure is not null)
        {
            var kind = TransportFailures.NothingWasSent(transportFailure) ? TableFailureKind.Other : TableFailureKind.OutcomeUnknown;
            throw TableErrors.Create(kind, 0, null, operation, Name, null, transportFailure);
        }

        var response = message.Response;
        if (IsAmbiguous(response))
        {
            throw TableErrors.FromResponse(response, operation, Name, TableFailureKind.OutcomeUnknown);
        }

        if (!IsSuccess(response))
        {
            // The whole request was refused (for example 400 for a malformed batch, 403, or 429/503
            // after the retries): nothing was applied.
            throw TransactionFailure(response.Status, TableErrors.ErrorCode(response), null, operation, TableErrors.RequestId(response));
        }

        IReadOnlyList<BatchOperationResponse> results;
        try
        {
            results = TableBatch.ReadResponse(
                response.Headers.TryGetValue(HttpHeader.Names.ContentType, out var contentType) ? contentType : null,
                response.Content.ToString());
        }
        catch (InvalidDataException e)
        {
            throw TableErrors.Create(TableFailureKind.OutcomeUnknown, response.Status, null, operation, Name, TableErrors.RequestId(response), e);
        }

        var failed = results.FirstOrDefault(r => r.Status is < 200 or > 299);
        if (failed is not null)
        {
            var (code, text) = TableErrors.ParseErrorBody(failed.Body);
            code ??= failed.Headers.GetValueOrDefault("x-ms-error-code");
            int? index = TableBatch.FailedIndex(text);
            if (index is not null && (index < 0 || index >= list.Count))
            {
                index = null;
            }

            // With a single action the service may omit the index; it can only be that one.
            index ??= list.Count == 1 ? 0 : null;
            throw TransactionFailure(failed.Status, code, index, operation, TableErrors.RequestId(response));
        }

        if (results.Count != list.Count)
        {
            throw TableErrors.Create(
                TableFailureKind.OutcomeUnknown, response.Status, null, operation, Name, TableErrors.RequestId(response),
                new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"The transaction answered {results.Count} results for {list.Count} actions.")));
        }

        var etags = new ETag[list.Count];
        for (int i = 0; i < list.Count; i++)
        {
            etags[i] = list[i].ActionType == TableTransactionActionType.Delete
                ? default
                : results[i].Headers.TryGetValue(HttpHeader.Names.ETag, out var etag) ? new ETag(etag) : default;
        }

        return etags;
    }

    private List<BatchOperation> PrepareTransaction(IEnumerable<TableTransactionAction> actions, out List<TableTransactionAction> list)
    {
        ArgumentNullException.ThrowIfNull(actions);
        list = actions.ToList();
        if (list.Count is 0 or > MaxTransactionActions)
        {
            throw new ArgumentException("A transaction must have between 1 and 100 actions.", nameof(actions));
        }

        var operations = new List<BatchOperation>(list.Count);
        var rowKeys = new HashSet<string>(StringComparer.Ordinal);
        string? partitionKey = null;
        for (int i = 0; i < list.Count; i++)
        {
            var action = list[i] ?? throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Action {i} is null."), nameof(actions));
            TableGuards.EntityKeys(action.Entity, nameof(actions));
            partitionKey ??= action.Entity.PartitionKey;
            if (!string.Equals(partitionKey, action.Entity.PartitionKey, StringComparison.Ordinal))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"Action {i} has a different PartitionKey; a transaction stays within one partition."),
                    nameof(actions));
            }

            if (!rowKeys.Add(action.Entity.RowKey))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"Action {i} touches an entity an earlier action already touches; each entity may appear once."),
                    nameof(actions));
            }

            operations.Add(ToOperation(action, i, nameof(actions)));
        }

        return operations;
    }

    private BatchOperation ToOperation(TableTransactionAction action, int index, string paramName)
    {
        var entity = action.Entity;
        string entityUrl = EntityUrl(entity.PartitionKey, entity.RowKey);
        return action.ActionType switch
        {
            TableTransactionActionType.Add => new("POST", TableUrl, null, EntityJson.Serialize(entity), PreferNoContent: true),
            TableTransactionActionType.UpsertMerge => new("MERGE", entityUrl, null, EntityJson.Serialize(entity), false),
            TableTransactionActionType.UpsertReplace => new("PUT", entityUrl, null, EntityJson.Serialize(entity), false),
            TableTransactionActionType.UpdateMerge => new("MERGE", entityUrl, IfMatchOf(action, index, paramName), EntityJson.Serialize(entity), false),
            TableTransactionActionType.UpdateReplace => new("PUT", entityUrl, IfMatchOf(action, index, paramName), EntityJson.Serialize(entity), false),
            TableTransactionActionType.Delete => new("DELETE", entityUrl, IfMatchOf(action, index, paramName), null, false),
            _ => throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Action {index} has an unknown action type."), paramName),
        };
    }

    private static string IfMatchOf(TableTransactionAction action, int index, string paramName)
    {
        var etag = action.ETag != default ? action.ETag : action.Entity.ETag;
        if (etag == default)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Action {index} ({action.ActionType}) has no ETag: set the action's or the entity's ETag, or pass ETag.All to overwrite whatever is stored."),
                paramName);
        }

        return etag.ToString();
    }

    private TableTransactionFailedException TransactionFailure(int status, string? errorCode, int? index, string operation, string? requestId)
    {
        var kind = TableErrors.KindOf(status);
        string where = index is null ? string.Empty : string.Create(CultureInfo.InvariantCulture, $" Action {index} failed; nothing was applied.");
        return new TableTransactionFailedException(
            kind, status, errorCode, index, TableErrors.Describe(kind, status, errorCode, operation, Name, requestId) + where);
    }

    private async Task<ETag> WriteEntityAsync(string operation, TableEntity entity, TableUpdateMode mode, ETag? ifMatch, CancellationToken cancellationToken)
    {
        var method = mode == TableUpdateMode.Merge ? MergeMethod : RequestMethod.Put;
        using var message = CreateMessage(method, EntityUrl(entity.PartitionKey, entity.RowKey), RequestSafety.Idempotent, EntityJson.Serialize(entity));
        if (ifMatch is ETag etag)
        {
            message.Request.Headers.Add(HttpHeader.Names.IfMatch, etag.ToString());
        }

        var response = await SendAsync(message, operation, cancellationToken).ConfigureAwait(false);
        if (IsSuccess(response))
        {
            return ETagOf(response);
        }

        var failure = TableErrors.FromResponse(response, operation, Name);
        if (response.Status == 412 && message.ProcessingContext.RetryNumber > 0)
        {
            // A conditional write is re-sent after a lost answer (a broken connection, a 500): if
            // the first attempt was applied, the re-sent one fails its own precondition. Read the
            // entity: when it holds what this write sent, the write landed and its ETag is current.
            var stored = await ReadBackAsync(entity, failure, operation, cancellationToken).ConfigureAwait(false);
            if (stored is not null && (mode == TableUpdateMode.Merge ? EntityComparison.Includes(stored, entity) : EntityComparison.SameProperties(entity, stored)))
            {
                return stored.ETag;
            }
        }

        throw failure;
    }

    /// <summary>Point read used to settle an ambiguous write; any failure leaves the outcome unknown.</summary>
    private async Task<TableEntity?> ReadBackAsync(TableEntity sent, TableStorageException ambiguity, string operation, CancellationToken cancellationToken)
    {
        try
        {
            return await GetEntityIfExistsAsync(sent.PartitionKey, sent.RowKey, null, cancellationToken).ConfigureAwait(false);
        }
        catch (TableStorageException readFailure)
        {
            throw TableErrors.Create(
                TableFailureKind.OutcomeUnknown, ambiguity.Status, ambiguity.ErrorCode, operation, Name, null,
                new AggregateException(ambiguity, readFailure));
        }
    }

    private HttpMessage CreateMessage(RequestMethod method, string url, RequestSafety safety, byte[]? body = null, string contentType = JsonContentType)
    {
        var message = _pipeline.CreateMessage();
        message.SetSafety(safety);
        var request = message.Request;
        request.Method = method;
        request.Uri.Reset(new Uri(url));
        if (body is not null)
        {
            request.Headers.Add(HttpHeader.Names.ContentType, contentType);
            request.Content = RequestContent.Create(body);
        }

        return message;
    }

    /// <summary>Sends; a transport failure becomes a <see cref="TableStorageException"/> with status 0.</summary>
    private async Task<Response> SendAsync(HttpMessage message, string operation, CancellationToken cancellationToken)
    {
        Exception? transportFailure = await TrySendAsync(message, cancellationToken).ConfigureAwait(false);
        return transportFailure is null
            ? message.Response
            : throw TableErrors.Create(TableFailureKind.Other, 0, null, operation, Name, null, transportFailure);
    }

    private async Task<Exception?> TrySendAsync(HttpMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (TransportFailures.IsTransportFailure(e, cancellationToken))
        {
            return e;
        }
    }

    private string EntityUrl(string partitionKey, string rowKey) =>
        $"{TableUrl}(PartitionKey='{EscapeKey(partitionKey)}',RowKey='{EscapeKey(rowKey)}')";

    // Quotes are doubled inside the OData key literal, then the whole literal is percent-encoded
    // (UTF-8), so spaces, '%', '+', '&', '=' and any Unicode survive the trip.
    private static string EscapeKey(string key) => Uri.EscapeDataString(key.Replace("'", "''", StringComparison.Ordinal));

    private static string SelectParameter(IReadOnlyList<string> selected)
    {
        // The keys always come back, so that every returned entity can be addressed again.
        var names = new List<string> { TableEntity.PartitionKeyName, TableEntity.RowKeyName };
        names.AddRange(selected.Where(n => n is not (TableEntity.PartitionKeyName or TableEntity.RowKeyName)).Distinct(StringComparer.Ordinal));
        return Uri.EscapeDataString(string.Join(',', names));
    }

    private static List<TableEntity> ReadPage(Response response)
    {
        using var document = JsonDocument.Parse(response.Content.ToMemory());
        var page = new List<TableEntity>();
        if (document.RootElement.TryGetProperty("value", out var values))
        {
            foreach (var element in values.EnumerateArray())
            {
                page.Add(EntityJson.Deserialize(element, null));
            }
        }

        return page;
    }

    private static string? ContinuationHeader(Response response, string name) =>
        response.Headers.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;

    private static bool IsSuccess(Response response) => response.Status is >= 200 and <= 299;

    /// <summary>An answer that does not say whether a write was applied.</summary>
    private static bool IsAmbiguous(Response response) =>
        response.Status is 500 or 502 or 504
        || (response.Status == 503 && TableErrors.ErrorCode(response) != TableErrors.ServerBusy);

    private static ETag ETagOf(Response response) =>
        response.Headers.TryGetValue(HttpHeader.Names.ETag, out var etag) ? new ETag(etag) : default;

    private static void RequireETag(ETag ifMatch, string paramName)
    {
        if (ifMatch == default)
        {
            throw new ArgumentException(
                "An ETag is required: pass the entity's ETag, or ETag.All to overwrite whatever is stored.", paramName);
        }
    }

    private static void ValidateMode(TableUpdateMode mode)
    {
        if (mode is not (TableUpdateMode.Merge or TableUpdateMode.Replace))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown update mode.");
        }
    }

    private static HttpPipeline BuildPipeline(TableClientOptions? options, HttpPipelinePolicy authentication)
    {
        options ??= new TableClientOptions();
        if (options.RetryPolicy is not TableRetryPolicy)
        {
            throw new ArgumentException(
                "TableClientOptions.RetryPolicy must stay the table client's own policy, which keeps inserts and transactions from being re-sent after they may have been applied; tune TableClientOptions.Retry instead.",
                nameof(options));
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(options.ServiceVersion, nameof(options));
        return HttpPipelineBuilder.Build(
            options,
            [],
            [new TableHeadersPolicy(options.ServiceVersion, TimeProvider.System), authentication],
            new ResponseClassifier());
    }
}
