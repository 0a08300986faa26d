using Azure;
using Azure.Core;
using Azure.Data.Tables;
using HandInHand.Infrastructure.Storage;
using HandInHand.Testing.Http;

namespace HandInHand.Infrastructure.Tests.Storage;

/// <summary>Entity group transactions ($batch) against Azurite: all or nothing.</summary>
public sealed class TransactionTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task AGoodChangesetAppliesEveryActionAndReturnsTheirETagsInOrder()
    {
        await using var table = await azurite.CreateTableAsync();
        var mergeTarget = await table.Client.AddEntityAsync(new TableEntity("p", "merge") { ["Kept"] = "yes", ["N"] = 1 });
        var replaceTarget = await table.Client.AddEntityAsync(new TableEntity("p", "replace") { ["Dropped"] = "yes" });
        var deleteTarget = await table.Client.AddEntityAsync(new TableEntity("p", "delete"));
        await table.Client.AddEntityAsync(new TableEntity("p", "upsert-merge") { ["Kept"] = "yes" });
        await table.Client.AddEntityAsync(new TableEntity("p", "upsert-replace") { ["Dropped"] = "yes" });

        var etags = await table.Client.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, new TableEntity("p", "add") { ["N"] = 1 }),
            new(TableTransactionActionType.UpsertMerge, new TableEntity("p", "upsert-merge") { ["N"] = 2 }),
            new(TableTransactionActionType.UpsertReplace, new TableEntity("p", "upsert-replace") { ["N"] = 3 }),
            new(TableTransactionActionType.UpdateMerge, new TableEntity("p", "merge") { ["N"] = 4 }, mergeTarget),
            new(TableTransactionActionType.UpdateReplace, new TableEntity("p", "replace") { ["N"] = 5, ETag = replaceTarget }),
            new(TableTransactionActionType.Delete, new TableEntity("p", "delete"), deleteTarget),
        ]);

        Assert.Equal(6, etags.Count);
        Assert.All(etags.Take(5), etag => Assert.NotEqual(default, etag));
        Assert.Equal(default, etags[5]);
        var add = await table.Client.GetEntityIfExistsAsync("p", "add");
        Assert.Equal(etags[0], add!.ETag);
        var upsertMerge = await table.Client.GetEntityIfExistsAsync("p", "upsert-merge");
        Assert.Equal(("yes", 2), (upsertMerge!.GetString("Kept"), upsertMerge.GetInt32("N")));
        var upsertReplace = await table.Client.GetEntityIfExistsAsync("p", "upsert-replace");
        Assert.False(upsertReplace!.ContainsKey("Dropped"));
        var merged = await table.Client.GetEntityIfExistsAsync("p", "merge");
        Assert.Equal(("yes", 4), (merged!.GetString("Kept"), merged.GetInt32("N")));
        Assert.Equal(etags[3], merged.ETag);
        var replaced = await table.Client.GetEntityIfExistsAsync("p", "replace");
        Assert.False(replaced!.ContainsKey("Dropped"));
        Assert.Null(await table.Client.GetEntityIfExistsAsync("p", "delete"));
    }

    [Fact]
    public async Task AChangesetWhoseSecondInsertConflictsFailsAtIndexOneAndAppliesNothing()
    {
        await using var table = await azurite.CreateTableAsync();
        await table.Client.AddEntityAsync(new TableEntity("p", "taken") { ["Owner"] = "first" });

        var failure = await Assert.ThrowsAsync<TableTransactionFailedException>(() => table.Client.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, new TableEntity("p", "fresh")),
            new(TableTransactionActionType.Add, new TableEntity("p", "taken") { ["Owner"] = "second" }),
            new(TableTransactionActionType.Add, new TableEntity("p", "also-fresh")),
        ]));

        Assert.Equal(1, failure.FailedTransactionActionIndex);
        Assert.Equal(409, failure.Status);
        Assert.Equal("EntityAlreadyExists", failure.ErrorCode);
        Assert.Null(await table.Client.GetEntityIfExistsAsync("p", "fresh"));
        Assert.Null(await table.Client.GetEntityIfExistsAsync("p", "also-fresh"));
        Assert.Equal("first", (await table.Client.GetEntityIfExistsAsync("p", "taken"))!.GetString("Owner"));
    }

    [Fact]
    public async Task AChangesetWithAStaleIfMatchFailsWithPreconditionFailedAndAppliesNothing()
    {
        await using var table = await azurite.CreateTableAsync();
        var stale = await table.Client.AddEntityAsync(new TableEntity("p", "target") { ["N"] = 1 });
        await table.Client.UpdateEntityAsync(new TableEntity("p", "target") { ["N"] = 2 }, stale, TableUpdateMode.Merge);
        await table.Client.AddEntityAsync(new TableEntity("p", "doomed"));

        var failure = await Assert.ThrowsAsync<TableTransactionFailedException>(() => table.Client.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, new TableEntity("p", "fresh")),
            new(TableTransactionActionType.Delete, new TableEntity("p", "doomed"), ETag.All),
            new(TableTransactionActionType.UpdateReplace, new TableEntity("p", "target") { ["N"] = 3 }, stale),
        ]));

        Assert.Equal(2, failure.FailedTransactionActionIndex);
        Assert.Equal(412, failure.Status);
        Assert.Equal("UpdateConditionNotSatisfied", failure.ErrorCode);
        Assert.Null(await table.Client.GetEntityIfExistsAsync("p", "fresh"));
        Assert.NotNull(await table.Client.GetEntityIfExistsAsync("p", "doomed"));
        Assert.Equal(2, (await table.Client.GetEntityIfExistsAsync("p", "target"))!.GetInt32("N"));
    }

    [Fact]
    public async Task AChangesetUpdatingAnAbsentEntityFailsWithNotFoundAndAppliesNothing()
    {
        await using var table = await azurite.CreateTableAsync();

        var failure = await Assert.ThrowsAsync<TableTransactionFailedException>(() => table.Client.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, new TableEntity("p", "fresh")),
            new(TableTransactionActionType.UpdateMerge, new TableEntity("p", "absent"), ETag.All),
        ]));

        Assert.Equal(1, failure.FailedTransactionActionIndex);
        Assert.Equal(404, failure.Status);
        Assert.Null(await table.Client.GetEntityIfExistsAsync("p", "fresh"));
    }

    [Fact]
    public async Task OneHundredActionsCommitInOneTransaction()
    {
        await using var table = await azurite.CreateTableAsync();
        int before = table.Requests.Count;

        var etags = await table.Client.SubmitTransactionAsync(Enumerable.Range(0, 100)
            .Select(i => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("p", "r" + i) { ["I"] = i })));

        Assert.Equal(1, table.Requests.Count - before);
        Assert.Equal(100, etags.Count);
        Assert.All(etags, etag => Assert.NotEqual(default, etag));
        Assert.Equal(100, (await table.Client.QueryAsync().ToListAsync()).Count);
    }

    public static TheoryData<string> RuleBreakers => new()
    {
        "mixed partition keys",
        "101 actions",
        "the same entity twice",
        "no actions",
        "an update without any ETag",
        "a delete without any ETag",
    };

    [Theory]
    [MemberData(nameof(RuleBreakers))]
    public async Task TransactionsBreakingTheRulesAreRefusedBeforeAnyRequest(string rule)
    {
        var counter = new CountingPolicy();
        var client = GuardedTableClient.FromConnectionString(
            $"AccountName=devstoreaccount1;AccountKey={LoopbackPeer.DevelopmentKey};TableEndpoint=http://127.0.0.1:{LoopbackHttpPeer.ClosedPort()}/devstoreaccount1",
            "rules",
            options => options.AddPolicy(counter, HttpPipelinePosition.PerRetry));
        List<TableTransactionAction> actions = rule switch
        {
            "mixed partition keys" => [new(TableTransactionActionType.Add, new TableEntity("a", "1")), new(TableTransactionActionType.Add, new TableEntity("b", "2"))],
            "101 actions" => Enumerable.Range(0, 101).Select(i => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("p", "r" + i))).ToList(),
            "the same entity twice" => [new(TableTransactionActionType.Add, new TableEntity("p", "1")), new(TableTransactionActionType.Delete, new TableEntity("p", "1"), ETag.All)],
            "no actions" => [],
            "an update without any ETag" => [new(TableTransactionActionType.UpdateMerge, new TableEntity("p", "1"))],
            "a delete without any ETag" => [new(TableTransactionActionType.Delete, new TableEntity("p", "1"))],
            _ => throw new ArgumentOutOfRangeException(nameof(rule)),
        };

        await Assert.ThrowsAnyAsync<ArgumentException>(() => client.SubmitTransactionAsync(actions));

        Assert.Equal(0, counter.Count);
    }
}
