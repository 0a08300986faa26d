using HandInHand.Infrastructure.Tables;

namespace HandInHand.Infrastructure.Tests.Tables;

/// <summary>$filter, $select and paging against Azurite.</summary>
public sealed class QueryTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task AFilterReturnsOnlyTheMatchingEntities()
    {
        await using var table = await azurite.CreateTableAsync();
        await SeedAsync(table.Client, partitions: 2, perPartition: 10);

        var matches = await table.Client.QueryAsync(TableFilter.Create($"PartitionKey eq {"p1"} and N ge {5}")).ToListAsync();

        Assert.Equal(5, matches.Count);
        Assert.All(matches, e => Assert.Equal("p1", e.PartitionKey));
        Assert.All(matches, e => Assert.True(e.GetInt32("N") >= 5));
    }

    [Fact]
    public async Task ANullFilterReturnsEverything()
    {
        await using var table = await azurite.CreateTableAsync();
        await SeedAsync(table.Client, partitions: 3, perPartition: 4);

        Assert.Equal(12, (await table.Client.QueryAsync().ToListAsync()).Count);
    }

    [Fact]
    public async Task SelectReturnsOnlyTheRequestedPropertiesAndTheKeys()
    {
        await using var table = await azurite.CreateTableAsync();
        await table.Client.AddEntityAsync(new TableEntity("p", "r") { ["A"] = "a", ["B"] = 2L, ["C"] = true });

        var entity = Assert.Single(await table.Client.QueryAsync(select: ["A", "B"]).ToListAsync());
        var point = await table.Client.GetEntityIfExistsAsync("p", "r", select: ["C"]);

        Assert.Equal("p", entity.PartitionKey);
        Assert.Equal("r", entity.RowKey);
        Assert.Equal(["A", "B"], entity.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(2L, entity["B"]);
        Assert.Equal("p", point!.PartitionKey);
        Assert.Equal(["C"], point.Select(p => p.Key));
        Assert.Equal(true, point["C"]);
    }

    [Fact]
    public async Task PagedQueriesFollowContinuationsToTheEndAcrossPartitions()
    {
        await using var table = await azurite.CreateTableAsync();
        await SeedAsync(table.Client, partitions: 5, perPartition: 500);

        foreach (int pageSize in new[] { 1000, 7 })
        {
            int before = table.Requests.Count;
            var all = await table.Client.QueryAsync(pageSize: pageSize).ToListAsync();
            int pages = table.Requests.Count - before;

            Assert.Equal(2500, all.Count);
            Assert.Equal(2500, all.Select(e => (e.PartitionKey, e.RowKey)).Distinct().Count());
            Assert.True(pages >= (int)Math.Ceiling(2500.0 / pageSize), $"pageSize {pageSize} took only {pages} requests");
        }

        var filtered = await table.Client.QueryAsync(TableFilter.Create($"N lt {100}"), pageSize: 7).ToListAsync();
        Assert.Equal(500, filtered.Count);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public void APageSizeOutsideOneToAThousandIsRefusedWhenTheQueryIsCreated(int pageSize)
    {
        var client = new TableClient("UseDevelopmentStorage=true", "anytable");

        Assert.Throws<ArgumentOutOfRangeException>(() => client.QueryAsync(pageSize: pageSize));
    }

    private static async Task SeedAsync(TableClient client, int partitions, int perPartition)
    {
        var work = new List<Task>();
        for (int p = 0; p < partitions; p++)
        {
            for (int start = 0; start < perPartition; start += 100)
            {
                var actions = Enumerable.Range(start, Math.Min(100, perPartition - start))
                    .Select(i => new TableTransactionAction(
                        TableTransactionActionType.Add,
                        new TableEntity("p" + p, i.ToString("D5", System.Globalization.CultureInfo.InvariantCulture)) { ["N"] = i }));
                work.Add(client.SubmitTransactionAsync(actions));
            }
        }

        await Task.WhenAll(work);
    }
}
