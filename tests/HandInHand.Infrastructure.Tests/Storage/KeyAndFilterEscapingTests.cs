using Azure;
using Azure.Core;
using Azure.Data.Tables;
using HandInHand.Infrastructure.Storage;
using HandInHand.Testing.Http;

namespace HandInHand.Infrastructure.Tests.Storage;

/// <summary>Awkward keys and filter values go over the wire intact; forbidden keys never do.</summary>
public sealed class KeyAndFilterEscapingTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    public static TheoryData<string> AwkwardKeys => new()
    {
        "it's",
        "''",
        "O'Brien's 'quoted'",
        "with space",
        "100% sure",
        "a+b=c&d=e",
        "émigré Ünïcödé",
        "emoji 😀👍🏽",
        "中文键",
        "semi;colon,comma(paren)",
        "~!@$^*[]{}|<>`\"",
        "",
    };

    [Theory]
    [MemberData(nameof(AwkwardKeys))]
    public async Task AwkwardKeysRoundTripThroughInsertReadUpdateQueryAndDelete(string key)
    {
        await using var table = await azurite.CreateTableAsync();
        string partitionKey = "pk " + key;
        string rowKey = key + " rk";

        var etag = await table.Client.AddEntityAsync(new TableEntity(partitionKey, rowKey) { ["Value"] = key });
        var read = await table.Client.GetEntityIfExistsAsync(partitionKey, rowKey);
        Assert.NotNull(read);
        Assert.Equal(partitionKey, read.PartitionKey);
        Assert.Equal(rowKey, read.RowKey);
        Assert.Equal(key, read.GetString("Value"));

        etag = await table.Client.UpdateEntityAsync(new TableEntity(partitionKey, rowKey) { ["Value"] = "updated" }, etag, TableUpdateMode.Merge);

        var found = await table.Client.QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey} and RowKey eq {rowKey}")).ToListAsync();
        Assert.Equal("updated", Assert.Single(found).GetString("Value"));

        await table.Client.DeleteEntityAsync(partitionKey, rowKey, etag);
        Assert.Null(await table.Client.GetEntityIfExistsAsync(partitionKey, rowKey));
    }

    [Fact]
    public async Task FilterValuesWithQuotesSelectExactlyTheMatchingRows()
    {
        await using var table = await azurite.CreateTableAsync();
        string[] names = ["O'Brien", "O''Brien", "OBrien", "O'", "'", "' or true or '", "O'Brien's"];
        var actions = names.Select((name, i) => new TableTransactionAction(
            TableTransactionActionType.Add, new TableEntity("people", "r" + i) { ["Name"] = name }));
        await table.Client.SubmitTransactionAsync(actions);

        foreach (string name in names)
        {
            var matches = await table.Client.QueryAsync(TableClient.CreateQueryFilter($"Name eq {name}")).ToListAsync();

            Assert.Equal(name, Assert.Single(matches).GetString("Name"));
        }
    }

    [Fact]
    public async Task FilterValuesWithUnicodeAndUrlSyntaxSelectExactlyTheMatchingRows()
    {
        await using var table = await azurite.CreateTableAsync();
        string[] values = ["a+b", "a b", "a&b=c", "100%", "ünï 😀", "a%20b", "a#b?c/d\\e"];
        var actions = values.Select((value, i) => new TableTransactionAction(
            TableTransactionActionType.Add, new TableEntity("p", "r" + i) { ["V"] = value }));
        await table.Client.SubmitTransactionAsync(actions);

        foreach (string value in values)
        {
            var matches = await table.Client.QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {"p"} and V eq {value}")).ToListAsync();

            Assert.Equal(value, Assert.Single(matches).GetString("V"));
        }
    }

    [Fact]
    public async Task TypedFilterArgumentsCompareAgainstTypedProperties()
    {
        await using var table = await azurite.CreateTableAsync();
        var id = Guid.NewGuid();
        var when = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero);
        await table.Client.AddEntityAsync(new TableEntity("p", "match")
        {
            ["Big"] = (1L << 40) + 1, ["Id"] = id, ["When"] = when, ["Flag"] = true, ["Ratio"] = 0.5, ["Count"] = 3,
        });
        await table.Client.AddEntityAsync(new TableEntity("p", "other")
        {
            ["Big"] = 1L, ["Id"] = Guid.NewGuid(), ["When"] = when.AddDays(-1), ["Flag"] = false, ["Ratio"] = 0.25, ["Count"] = 1,
        });

        string filter = TableClient.CreateQueryFilter(
            $"Big eq {(1L << 40) + 1} and Id eq {id} and When ge {when} and Flag eq {true} and Ratio gt {0.4} and Count eq {3}");
        var matches = await table.Client.QueryAsync(filter).ToListAsync();

        Assert.Equal("match", Assert.Single(matches).RowKey);
    }

    public static TheoryData<string, string> ForbiddenKeys => new()
    {
        { "a/b", "slash" },
        { "a\\b", "backslash" },
        { "a#b", "hash" },
        { "a?b", "question mark" },
        { "a\u0000b", "NUL" },
        { "a\tb", "tab" },
        { "a\nb", "newline" },
        { "a\u001Fb", "unit separator" },
        { "a\u007Fb", "DEL" },
        { "a\u0085b", "next line (C1)" },
        { "a\u009Fb", "last C1 control" },
        { new string('k', 513), "longer than 1 KiB" },
    };

    [Theory]
    [MemberData(nameof(ForbiddenKeys))]
    public async Task ForbiddenKeysAreRefusedBeforeAnyRequestIsMade(string key, string why)
    {
        Assert.NotNull(why);
        var counter = new CountingPolicy();
        // Nothing listens on this port: had a request been attempted, it could not have succeeded anyway.
        var client = GuardedTableClient.FromConnectionString(
            $"AccountName=devstoreaccount1;AccountKey={LoopbackPeer.DevelopmentKey};TableEndpoint=http://127.0.0.1:{LoopbackHttpPeer.ClosedPort()}/devstoreaccount1",
            "forbidden",
            options => options.AddPolicy(counter, HttpPipelinePosition.PerRetry));
        var valid = "ok";

        var failures = new List<ArgumentException>
        {
            await Assert.ThrowsAnyAsync<ArgumentException>(() => client.AddEntityAsync(new TableEntity(key, valid))),
            await Assert.ThrowsAnyAsync<ArgumentException>(() => client.AddEntityAsync(new TableEntity(valid, key))),
            await Assert.ThrowsAnyAsync<ArgumentException>(() => client.UpsertEntityAsync(new TableEntity(key, valid), TableUpdateMode.Merge)),
            await Assert.ThrowsAnyAsync<ArgumentException>(() => client.UpdateEntityAsync(new TableEntity(valid, key), ETag.All, TableUpdateMode.Replace)),
            await Assert.ThrowsAnyAsync<ArgumentException>(() => client.DeleteEntityAsync(key, valid, ETag.All)),
            await Assert.ThrowsAnyAsync<ArgumentException>(() => client.GetEntityIfExistsAsync(valid, key)),
            await Assert.ThrowsAnyAsync<ArgumentException>(() => client.SubmitTransactionAsync(
                [new(TableTransactionActionType.Add, new TableEntity(valid, "r1")), new(TableTransactionActionType.Add, new TableEntity(valid, key))])),
        };

        Assert.Equal(0, counter.Count);
        foreach (var failure in failures)
        {
            Assert.Matches("PartitionKey|RowKey", failure.Message);
            if (key.Length > 1)
            {
                Assert.DoesNotContain(key, failure.Message, StringComparison.Ordinal);
            }
        }
    }

}
