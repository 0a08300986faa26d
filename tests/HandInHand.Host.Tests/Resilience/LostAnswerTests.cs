using Azure;
using Azure.Data.Tables;
using HandInHand.Host.Tests.Support;
using HandInHand.Infrastructure.Storage;
using HandInHand.Testing.Storage;

namespace HandInHand.Host.Tests.Resilience;

/// <summary>
/// A conditional write whose answer is lost is re-sent by the retry policy; if the first attempt
/// was applied, the re-sent one fails its own precondition (412). Found by the fault harness: an
/// email's "Sending" mark landed, the retry answered 412, and the sender took it for another
/// sender's and left the email unsent. The client must recognise its own write.
/// </summary>
public sealed class LostAnswerTests
{
    private static async Task<(GuardedTableClient Direct, TableEntity Stored)> SeedAsync(string table)
    {
        var direct = GuardedTableClient.FromConnectionString(TestStorage.ConnectionString, table);
        await direct.CreateIfNotExistsAsync();
        var entity = new TableEntity("p", "r") { ["Status"] = "Pending", ["Attempts"] = 0 };
        entity.ETag = await direct.AddEntityAsync(entity);
        return (direct, entity);
    }

    [Theory]
    [InlineData(FaultKind.ResetAfterApplied, TableUpdateMode.Replace)]
    [InlineData(FaultKind.ResetAfterApplied, TableUpdateMode.Merge)]
    [InlineData(FaultKind.OperationTimeout, TableUpdateMode.Replace)]
    public async Task AConditionalUpdateThatLandedBeforeItsAnswerWasLostSucceeds(FaultKind fault, TableUpdateMode mode)
    {
        var table = TestStorage.NewTablePrefix() + "Lost";
        var (direct, seeded) = await SeedAsync(table);
        await using var proxy = await FaultProxy.StartAsync(TestStorage.ConnectionString, FaultSchedule.Scripted(fault));
        var client = GuardedTableClient.FromConnectionString(proxy.Rewrite(TestStorage.ConnectionString), table);
        proxy.Injecting = true;

        var etag = await client.UpdateEntityAsync(new TableEntity("p", "r") { ["Status"] = "Sending", ["Attempts"] = 1 }, seeded.ETag, mode);

        var stored = await direct.GetEntityIfExistsAsync("p", "r");
        Assert.Equal("Sending", stored!.GetString("Status"));
        Assert.Equal(stored.ETag, etag);
        Assert.Equal(1, proxy.Counts.GetValueOrDefault(fault));
    }

    [Fact]
    public async Task AConditionalUpdateAfterSomeoneElsesChangeStillFails()
    {
        var table = TestStorage.NewTablePrefix() + "Lost";
        var (direct, seeded) = await SeedAsync(table);
        await direct.UpdateEntityAsync(new TableEntity("p", "r") { ["Status"] = "Sent", ["Attempts"] = 1 }, seeded.ETag, TableUpdateMode.Replace);
        await using var proxy = await FaultProxy.StartAsync(TestStorage.ConnectionString, FaultSchedule.Scripted(FaultKind.ResetAfterApplied));
        var client = GuardedTableClient.FromConnectionString(proxy.Rewrite(TestStorage.ConnectionString), table);
        proxy.Injecting = true;

        var failure = await Assert.ThrowsAsync<RequestFailedException>(() =>
            client.UpdateEntityAsync(new TableEntity("p", "r") { ["Status"] = "Sending", ["Attempts"] = 1 }, seeded.ETag, TableUpdateMode.Replace));

        Assert.Equal(412, failure.Status);
        Assert.Equal("Sent", (await direct.GetEntityIfExistsAsync("p", "r"))!.GetString("Status"));
    }
}
