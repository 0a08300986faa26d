using Azure;
using Azure.Data.Tables;
using HandInHand.Infrastructure.Storage;

namespace HandInHand.Infrastructure.Tests.Storage;

/// <summary>Single-entity operations and table lifecycle against Azurite.</summary>
public sealed class EntityOperationTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task CreatingATableTwiceIsNotAnError()
    {
        await using var table = await azurite.CreateTableAsync();

        await table.Client.CreateIfNotExistsAsync();
        await table.Client.CreateIfNotExistsAsync();
    }

    [Fact]
    public async Task DeletingAnAbsentTableIsNotAnError()
    {
        var client = GuardedTableClient.FromConnectionString(azurite.ConnectionString, AzuriteFixture.NewTableName());

        await client.DeleteTableAsync();
    }

    [Fact]
    public async Task AnInsertedEntityReadsBackWithItsPropertiesETagAndTimestamp()
    {
        await using var table = await azurite.CreateTableAsync();
        var entity = new TableEntity("p", "r") { ["Name"] = "Ada", ["Visits"] = 3 };

        var etag = await table.Client.AddEntityAsync(entity);
        var read = await table.Client.GetEntityIfExistsAsync("p", "r");

        Assert.NotNull(read);
        Assert.NotEqual(default, etag);
        Assert.Equal(etag, read.ETag);
        Assert.NotNull(read.Timestamp);
        Assert.Equal("Ada", read.GetString("Name"));
        Assert.Equal(3, read.GetInt32("Visits"));
    }

    [Fact]
    public async Task ReadingAnAbsentEntityReturnsNull()
    {
        await using var table = await azurite.CreateTableAsync();

        Assert.Null(await table.Client.GetEntityIfExistsAsync("p", "missing"));
    }

    [Fact]
    public async Task InsertingAnExistingEntityIsAConflictWithEntityAlreadyExists()
    {
        await using var table = await azurite.CreateTableAsync();
        await table.Client.AddEntityAsync(new TableEntity("p", "r"));

        var failure = await Assert.ThrowsAsync<RequestFailedException>(() => table.Client.AddEntityAsync(new TableEntity("p", "r")));

        Assert.Equal(409, failure.Status);
        Assert.Equal("EntityAlreadyExists", failure.ErrorCode);
    }

    [Fact]
    public async Task UpsertMergeKeepsStoredPropertiesTheNewEntityDoesNotMention()
    {
        await using var table = await azurite.CreateTableAsync();
        await table.Client.AddEntityAsync(new TableEntity("p", "r") { ["Kept"] = "old", ["Changed"] = 1 });

        await table.Client.UpsertEntityAsync(new TableEntity("p", "r") { ["Changed"] = 2 }, TableUpdateMode.Merge);
        var read = await table.Client.GetEntityIfExistsAsync("p", "r");

        Assert.Equal("old", read!.GetString("Kept"));
        Assert.Equal(2, read.GetInt32("Changed"));
    }

    [Fact]
    public async Task UpsertReplaceDropsStoredPropertiesTheNewEntityDoesNotMention()
    {
        await using var table = await azurite.CreateTableAsync();
        await table.Client.AddEntityAsync(new TableEntity("p", "r") { ["Dropped"] = "old", ["Changed"] = 1 });

        await table.Client.UpsertEntityAsync(new TableEntity("p", "r") { ["Changed"] = 2 }, TableUpdateMode.Replace);
        var read = await table.Client.GetEntityIfExistsAsync("p", "r");

        Assert.False(read!.ContainsKey("Dropped"));
        Assert.Equal(2, read.GetInt32("Changed"));
    }

    [Fact]
    public async Task UpsertInsertsAnAbsentEntity()
    {
        await using var table = await azurite.CreateTableAsync();

        var etag = await table.Client.UpsertEntityAsync(new TableEntity("p", "r") { ["A"] = 1 }, TableUpdateMode.Merge);

        Assert.Equal(etag, (await table.Client.GetEntityIfExistsAsync("p", "r"))!.ETag);
    }

    [Fact]
    public async Task UpdatingWithTheCurrentETagSucceedsAndReturnsANewETag()
    {
        await using var table = await azurite.CreateTableAsync();
        var first = await table.Client.AddEntityAsync(new TableEntity("p", "r") { ["N"] = 1 });

        var second = await table.Client.UpdateEntityAsync(new TableEntity("p", "r") { ["N"] = 2 }, first, TableUpdateMode.Replace);

        Assert.NotEqual(first, second);
        var read = await table.Client.GetEntityIfExistsAsync("p", "r");
        Assert.Equal(second, read!.ETag);
        Assert.Equal(2, read.GetInt32("N"));
    }

    [Theory]
    [InlineData(TableUpdateMode.Merge)]
    [InlineData(TableUpdateMode.Replace)]
    public async Task UpdatingWithAStaleETagIsPreconditionFailedWithUpdateConditionNotSatisfied(TableUpdateMode mode)
    {
        await using var table = await azurite.CreateTableAsync();
        var stale = await table.Client.AddEntityAsync(new TableEntity("p", "r") { ["N"] = 1 });
        await table.Client.UpdateEntityAsync(new TableEntity("p", "r") { ["N"] = 2 }, stale, TableUpdateMode.Merge);

        var failure = await Assert.ThrowsAsync<RequestFailedException>(
            () => table.Client.UpdateEntityAsync(new TableEntity("p", "r") { ["N"] = 3 }, stale, mode));

        Assert.Equal(412, failure.Status);
        Assert.Equal("UpdateConditionNotSatisfied", failure.ErrorCode);
        Assert.Equal(2, (await table.Client.GetEntityIfExistsAsync("p", "r"))!.GetInt32("N"));
    }

    [Fact]
    public async Task UpdatingWithETagAllOverwritesWhateverIsStored()
    {
        await using var table = await azurite.CreateTableAsync();
        await table.Client.AddEntityAsync(new TableEntity("p", "r") { ["N"] = 1 });

        await table.Client.UpdateEntityAsync(new TableEntity("p", "r") { ["N"] = 9 }, ETag.All, TableUpdateMode.Replace);

        Assert.Equal(9, (await table.Client.GetEntityIfExistsAsync("p", "r"))!.GetInt32("N"));
    }

    [Fact]
    public async Task UpdatingAnAbsentEntityIsNotFound()
    {
        await using var table = await azurite.CreateTableAsync();

        var failure = await Assert.ThrowsAsync<RequestFailedException>(
            () => table.Client.UpdateEntityAsync(new TableEntity("p", "r"), ETag.All, TableUpdateMode.Merge));

        Assert.Equal(404, failure.Status);
    }

    [Fact]
    public async Task UpdatingWithoutAnETagIsRefusedBeforeAnyRequest()
    {
        await using var table = await azurite.CreateTableAsync();
        int before = table.Requests.Count;

        await Assert.ThrowsAsync<ArgumentException>(
            () => table.Client.UpdateEntityAsync(new TableEntity("p", "r"), default, TableUpdateMode.Merge));
        await Assert.ThrowsAsync<ArgumentException>(() => table.Client.DeleteEntityAsync("p", "r", default));

        Assert.Equal(before, table.Requests.Count);
    }

    [Fact]
    public async Task DeletingWithTheCurrentETagRemovesTheEntity()
    {
        await using var table = await azurite.CreateTableAsync();
        var etag = await table.Client.AddEntityAsync(new TableEntity("p", "r"));

        await table.Client.DeleteEntityAsync("p", "r", etag);

        Assert.Null(await table.Client.GetEntityIfExistsAsync("p", "r"));
    }

    [Fact]
    public async Task DeletingWithAStaleETagIsPreconditionFailedAndKeepsTheEntity()
    {
        await using var table = await azurite.CreateTableAsync();
        var stale = await table.Client.AddEntityAsync(new TableEntity("p", "r") { ["N"] = 1 });
        await table.Client.UpdateEntityAsync(new TableEntity("p", "r") { ["N"] = 2 }, stale, TableUpdateMode.Merge);

        var failure = await Assert.ThrowsAsync<RequestFailedException>(() => table.Client.DeleteEntityAsync("p", "r", stale));

        Assert.Equal("UpdateConditionNotSatisfied", failure.ErrorCode);
        Assert.NotNull(await table.Client.GetEntityIfExistsAsync("p", "r"));
    }

    [Fact]
    public async Task DeletingAnAbsentEntityIsNotAnError()
    {
        // The SDK's rule, which also covers a re-sent delete whose first attempt landed.
        await using var table = await azurite.CreateTableAsync();

        await table.Client.DeleteEntityAsync("p", "missing", ETag.All);

        Assert.False(await table.Client.DeleteIfExistsAsync("p", "missing"));
    }

    [Fact]
    public async Task FailureMessagesNameStatusAndCodeButNoKeysOrValues()
    {
        await using var table = await azurite.CreateTableAsync();
        const string partitionKey = "patient-4711";
        const string rowKey = "jane.doe@example.org";
        const string secret = "diagnosis-confidential";
        var entity = new TableEntity(partitionKey, rowKey) { ["Note"] = secret };
        var stale = await table.Client.AddEntityAsync(entity);
        await table.Client.UpdateEntityAsync(entity, stale, TableUpdateMode.Merge);

        var failures = new List<RequestFailedException>
        {
            await Assert.ThrowsAsync<RequestFailedException>(() => table.Client.AddEntityAsync(entity)),
            await Assert.ThrowsAsync<RequestFailedException>(() => table.Client.UpdateEntityAsync(entity, stale, TableUpdateMode.Replace)),
            await Assert.ThrowsAsync<TableTransactionFailedException>(() => table.Client.SubmitTransactionAsync(
                [new(TableTransactionActionType.Add, entity)])),
        };

        foreach (var failure in failures)
        {
            Assert.Contains(failure.Status.ToString(System.Globalization.CultureInfo.InvariantCulture), failure.Message, StringComparison.Ordinal);
            Assert.Contains(failure.ErrorCode!, failure.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(partitionKey, failure.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(rowKey, failure.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(secret, failure.ToString(), StringComparison.Ordinal);
        }
    }
}
