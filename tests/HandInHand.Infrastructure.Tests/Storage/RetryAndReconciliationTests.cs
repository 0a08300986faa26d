using Azure;
using Azure.Data.Tables;
using HandInHand.Infrastructure.Storage;
using HandInHand.Testing.Http;

namespace HandInHand.Infrastructure.Tests.Storage;

/// <summary>
/// Retry decisions, checked against a loopback peer that answers on cue (Azurite cannot be told
/// to fail). The peer speaks plain HTTP/1.1; it stands in for the network, not for storage logic.
/// </summary>
public sealed class RetryAndReconciliationTests
{
    private const string EntityPath = "/devstoreaccount1/peer(PartitionKey='p',RowKey='r')";
    private const string InsertPath = "/devstoreaccount1/peer";
    private const string BatchPath = "/devstoreaccount1/$batch";
    private const string StoredETag = "W/\"datetime'2025-01-01T00%3A00%3A00.0000001Z'\"";

    [Fact]
    public async Task AReadAnswered503ServerBusyIsRetriedAndThenSucceeds()
    {
        int gets = 0;
        await using var peer = new LoopbackPeer(request => Interlocked.Increment(ref gets) == 1
            ? PeerReply.Error(503, "ServerBusy")
            : StoredEntity("""{"Name":"Ada"}"""));

        var entity = await Client(peer).GetEntityIfExistsAsync("p", "r");

        Assert.Equal("Ada", entity!.GetString("Name"));
        Assert.Equal(2, peer.Count("GET"));
    }

    [Fact]
    public async Task AConditionalUpdateAnswered500IsRetriedBecauseIfMatchMakesItIdempotent()
    {
        int merges = 0;
        await using var peer = new LoopbackPeer(request => Interlocked.Increment(ref merges) == 1
            ? PeerReply.Error(500, "InternalError")
            : PeerReply.Created(StoredETag));

        var etag = await Client(peer).UpdateEntityAsync(new TableEntity("p", "r"), new ETag("W/\"x\""), TableUpdateMode.Merge);

        Assert.Equal(new ETag(StoredETag), etag);
        Assert.Equal(2, peer.Requests.Count);
        Assert.All(peer.Requests, r => Assert.Equal("W/\"x\"", r.Header("If-Match")));
    }

    [Fact]
    public async Task AnInsertAnswered500IsNotResentUntilAReadShowsItWasNotApplied()
    {
        int posts = 0;
        await using var peer = new LoopbackPeer(request => (request.Method, request.Path) switch
        {
            ("POST", InsertPath) => Interlocked.Increment(ref posts) == 1 ? PeerReply.Error(500, "InternalError") : PeerReply.Created(StoredETag),
            ("GET", EntityPath) => PeerReply.Error(404, "ResourceNotFound"),
            _ => PeerReply.Error(400, "UnexpectedRequest"),
        });

        var etag = await Client(peer).AddEntityAsync(new TableEntity("p", "r") { ["Name"] = "Ada" });

        Assert.Equal(new ETag(StoredETag), etag);
        Assert.Equal(["POST", "GET", "POST"], peer.Requests.Select(r => r.Method));
    }

    [Fact]
    public async Task AnInsertAnswered500ThatWasAppliedIsRecognisedByReadingItBack()
    {
        await using var peer = new LoopbackPeer(request => request.Method switch
        {
            "POST" => PeerReply.Error(500, "OperationTimedOut"),
            "GET" => StoredEntity("""{"Name":"Ada","Visits@odata.type":"Edm.Int64","Visits":"3"}"""),
            _ => PeerReply.Error(400, "UnexpectedRequest"),
        });

        var etag = await Client(peer).AddEntityAsync(new TableEntity("p", "r") { ["Name"] = "Ada", ["Visits"] = 3L });

        Assert.Equal(new ETag(StoredETag), etag);
        Assert.Equal(1, peer.Count("POST"));
        Assert.Equal(1, peer.Count("GET"));
    }

    [Fact]
    public async Task AnInsertAnswered500WhereTheReadFindsOtherDataIsAConflict()
    {
        await using var peer = new LoopbackPeer(request => request.Method switch
        {
            "POST" => PeerReply.Error(504, "GatewayTimeout"),
            "GET" => StoredEntity("""{"Name":"Someone else"}"""),
            _ => PeerReply.Error(400, "UnexpectedRequest"),
        });

        var failure = await Assert.ThrowsAsync<RequestFailedException>(
            () => Client(peer).AddEntityAsync(new TableEntity("p", "r") { ["Name"] = "Ada" }));

        Assert.Equal("EntityAlreadyExists", failure.ErrorCode);
        Assert.Equal(1, peer.Count("POST"));
    }

    [Fact]
    public async Task AnInsertWhoseConnectionDropsIsReconciledByAReadBeforeAnyResend()
    {
        int posts = 0;
        await using var peer = new LoopbackPeer(request => request.Method switch
        {
            "POST" => Interlocked.Increment(ref posts) == 1 ? PeerReply.Close() : PeerReply.Created(StoredETag),
            "GET" => PeerReply.Error(404, "ResourceNotFound"),
            _ => PeerReply.Error(400, "UnexpectedRequest"),
        });

        var etag = await Client(peer).AddEntityAsync(new TableEntity("p", "r"));

        Assert.Equal(new ETag(StoredETag), etag);
        Assert.Equal(["POST", "GET", "POST"], peer.Requests.Select(r => r.Method));
    }

    [Fact]
    public async Task AnInsertThatStaysAmbiguousEndsAsOutcomeUnknownAfterOneResend()
    {
        await using var peer = new LoopbackPeer(request => request.Method switch
        {
            "POST" => PeerReply.Error(500, "InternalError"),
            "GET" => PeerReply.Error(404, "ResourceNotFound"),
            _ => PeerReply.Error(400, "UnexpectedRequest"),
        });

        var failure = await Assert.ThrowsAsync<TableOutcomeUnknownException>(() => Client(peer).AddEntityAsync(new TableEntity("p", "r")));

        Assert.IsType<TableOutcomeUnknownException>(failure);
        Assert.Equal(500, failure.Status);
        Assert.Equal(["POST", "GET", "POST", "GET"], peer.Requests.Select(r => r.Method));
    }

    [Fact]
    public async Task AnInsertAnswered429IsRetriedBecauseNothingWasApplied()
    {
        int posts = 0;
        await using var peer = new LoopbackPeer(request => Interlocked.Increment(ref posts) == 1
            ? PeerReply.Error(429, "TooManyRequests")
            : PeerReply.Created(StoredETag));

        var etag = await Client(peer).AddEntityAsync(new TableEntity("p", "r"));

        Assert.Equal(new ETag(StoredETag), etag);
        Assert.Equal(2, peer.Count("POST"));
        Assert.Equal(0, peer.Count("GET"));
    }

    [Fact]
    public async Task AnInsertAnswered503ServerBusyIsRetriedBecauseNothingWasApplied()
    {
        int posts = 0;
        await using var peer = new LoopbackPeer(request => Interlocked.Increment(ref posts) == 1
            ? PeerReply.Error(503, "ServerBusy")
            : PeerReply.Created(StoredETag));

        await Client(peer).AddEntityAsync(new TableEntity("p", "r"));

        Assert.Equal(2, peer.Count("POST"));
    }

    [Fact]
    public async Task ThrottlingThatOutlastsTheRetriesIsReportedAsThrottled()
    {
        await using var peer = new LoopbackPeer(_ => PeerReply.Error(503, "ServerBusy"));

        var failure = await Assert.ThrowsAsync<RequestFailedException>(() => Client(peer, maxRetries: 2).GetEntityIfExistsAsync("p", "r"));

        Assert.Equal(503, failure.Status);
        Assert.Equal("ServerBusy", failure.ErrorCode);
        Assert.Equal(3, peer.Count("GET"));
    }

    [Fact]
    public async Task ATransactionWhoseConnectionDropsIsOutcomeUnknownAndNotResent()
    {
        await using var peer = new LoopbackPeer(_ => PeerReply.Close());

        var failure = await Assert.ThrowsAsync<TableOutcomeUnknownException>(() => Client(peer).SubmitTransactionAsync(
            [new(TableTransactionActionType.Add, new TableEntity("p", "r"))]));

        Assert.IsType<TableOutcomeUnknownException>(failure);
        Assert.Equal(0, failure.Status);
        Assert.IsNotType<TableTransactionFailedException>(failure);
        Assert.Equal(1, peer.Count("POST"));
        Assert.Equal(BatchPath, Assert.Single(peer.Requests).Path);
    }

    [Fact]
    public async Task ATransactionWhoseReusedConnectionDropsIsNotResentByTheHttpStack()
    {
        await using var peer = new LoopbackPeer(request => request.Method == "GET"
            ? PeerReply.Json(200, """{"value":[]}""")
            : PeerReply.Close());
        var client = Client(peer);
        // Warm a keep-alive connection first, so the transaction goes out on a reused one: the
        // case in which an HTTP stack may be tempted to replay a request transparently.
        await client.QueryAsync().ToListAsync();

        var failure = await Assert.ThrowsAsync<TableOutcomeUnknownException>(() => client.SubmitTransactionAsync(
            [new(TableTransactionActionType.Add, new TableEntity("p", "r"))]));

        Assert.IsType<TableOutcomeUnknownException>(failure);
        Assert.Equal(1, peer.Count("POST"));
        Assert.Equal(peer.Requests[0].Connection, peer.Requests[1].Connection);
    }

    [Fact]
    public async Task ATransactionAnswered500IsOutcomeUnknownAndNotResent()
    {
        await using var peer = new LoopbackPeer(_ => PeerReply.Error(500, "InternalError"));

        var failure = await Assert.ThrowsAsync<TableOutcomeUnknownException>(() => Client(peer).SubmitTransactionAsync(
            [new(TableTransactionActionType.Add, new TableEntity("p", "r"))]));

        Assert.IsType<TableOutcomeUnknownException>(failure);
        Assert.Equal(500, failure.Status);
        Assert.Equal(1, peer.Count("POST"));
    }

    [Fact]
    public async Task ATransactionAnswered429IsRetried()
    {
        int posts = 0;
        await using var peer = new LoopbackPeer(request => Interlocked.Increment(ref posts) == 1
            ? PeerReply.Error(429, "TooManyRequests")
            : PeerReply.Close());

        var failure = await Assert.ThrowsAsync<TableOutcomeUnknownException>(() => Client(peer).SubmitTransactionAsync(
            [new(TableTransactionActionType.Add, new TableEntity("p", "r"))]));

        Assert.Equal(2, peer.Count("POST"));
        Assert.IsType<TableOutcomeUnknownException>(failure);
    }

    [Fact]
    public async Task AnInsertToAnUnreachableEndpointFailsWithoutReconciliation()
    {
        var client = GuardedTableClient.FromConnectionString(
            $"AccountName=devstoreaccount1;AccountKey={LoopbackPeer.DevelopmentKey};TableEndpoint=http://127.0.0.1:{LoopbackHttpPeer.ClosedPort()}/devstoreaccount1",
            "peer",
            FastRetries(1));

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => client.AddEntityAsync(new TableEntity("p", "r")));

        // Refused connections prove nothing was sent, so this is a plain failure (retried, then the
        // retry policy's aggregate), not an unknown outcome.
        Assert.IsNotType<TableOutcomeUnknownException>(failure);
        var attempts = Assert.IsType<AggregateException>(failure).InnerExceptions;
        Assert.Equal(2, attempts.Count);
        Assert.All(attempts, a => Assert.Equal(0, Assert.IsType<RequestFailedException>(a).Status));
    }

    [Fact]
    public async Task AQueryFollowsAnEmptyPageThatStillCarriesAContinuation()
    {
        await using var peer = new LoopbackPeer(request => request.Query("NextPartitionKey") switch
        {
            null => Page("""[{"PartitionKey":"a","RowKey":"1"}]""", ("x-ms-continuation-NextPartitionKey", "1!4!YQ--"), ("x-ms-continuation-NextRowKey", "1!4!Mg--")),
            "1!4!YQ--" => Page("[]", ("x-ms-continuation-NextPartitionKey", "1!4!Yg--"), ("x-ms-continuation-NextRowKey", "1!4!MQ--")),
            "1!4!Yg--" => Page("""[{"PartitionKey":"b","RowKey":"1"}]"""),
            _ => PeerReply.Error(400, "UnexpectedContinuation"),
        });

        var entities = await Client(peer).QueryAsync("RowKey eq '1'", pageSize: 5).ToListAsync();

        Assert.Equal(["a", "b"], entities.Select(e => e.PartitionKey));
        Assert.Equal(3, peer.Requests.Count);
        Assert.All(peer.Requests, r => Assert.Equal("RowKey eq '1'", r.Query("$filter")));
        Assert.All(peer.Requests, r => Assert.Equal("5", r.Query("$top")));
        Assert.Equal("1!4!MQ--", peer.Requests[2].Query("NextRowKey"));
    }


    private static GuardedTableClient Client(LoopbackPeer peer, int maxRetries = 3) =>
        GuardedTableClient.FromConnectionString(peer.ConnectionString, "peer", FastRetries(maxRetries));

    private static Action<TableClientOptions> FastRetries(int maxRetries) => options =>
    {
        options.Retry.MaxRetries = maxRetries;
        options.Retry.Delay = TimeSpan.FromMilliseconds(5);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(20);
    };

    private static PeerReply StoredEntity(string properties)
    {
        string json = """{"odata.etag":"W/\"datetime'2025-01-01T00%3A00%3A00.0000001Z'\"","PartitionKey":"p","RowKey":"r","Timestamp":"2025-01-01T00:00:00.0000001Z",""" + properties[1..];
        return PeerReply.Json(200, json, ("ETag", StoredETag));
    }

    private static PeerReply Page(string values, params (string Name, string Value)[] headers) =>
        PeerReply.Json(200, """{"value":""" + values + "}", headers);
}
