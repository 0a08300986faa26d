using Azure;
using Azure.Data.Tables;
using HandInHand.Infrastructure.Audit;
using HandInHand.Infrastructure.Storage;
using HandInHand.Infrastructure.Tests.Storage;
using HandInHand.Testing.Storage;

namespace HandInHand.Infrastructure.Tests.Audit;

public sealed class AuditTrailTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    private static AuditEvent Event(string record, int n, string action = "read", string outcome = "allowed") =>
        new(record, $"user-{n}", "manager", action, outcome, T0.AddMinutes(n).AddTicks(1234567));

    [Fact]
    public async Task AppendedEntriesFormAnIntactChainInOrder()
    {
        await using var table = await azurite.CreateTableAsync();
        var trail = new AuditTrail(table.Client);

        for (var i = 1; i <= 3; i++)
        {
            await trail.AppendAsync(Event("HH-2026-00001", i));
        }

        var entries = await trail.ReadAsync("HH-2026-00001");
        Assert.Equal([1L, 2L, 3L], entries.Select(e => e.Sequence));
        Assert.Equal(["user-1", "user-2", "user-3"], entries.Select(e => e.Event.ActorId));
        Assert.Equal(entries[0].Hash, entries[1].PreviousHash);
        Assert.Equal(Event("HH-2026-00001", 2), entries[1].Event);
        Assert.True((await trail.VerifyAsync("HH-2026-00001")).Intact);
    }

    /// <summary>
    /// An append whose answer was lost (the connection reset after storage applied it, or a 500
    /// after it reached storage) is found by reading its entry back, and not appended a second
    /// time; one that never reached storage is appended again. Either way the record's access is
    /// in its chain exactly once.
    /// </summary>
    [Theory]
    [InlineData(FaultKind.ResetAfterApplied)]
    [InlineData(FaultKind.OperationTimeout)]
    [InlineData(FaultKind.Dropped)]
    public async Task AnAppendWhoseOutcomeWasUnknownIsInTheChainExactlyOnce(FaultKind fault)
    {
        await using var table = await azurite.CreateTableAsync();
        // The head is read through the proxy untouched; the transaction meets the fault.
        await using var proxy = await FaultProxy.StartAsync(azurite.ConnectionString, FaultSchedule.Scripted(FaultKind.None, fault));
        proxy.Injecting = true;
        var trail = new AuditTrail(GuardedTableClient.FromConnectionString(proxy.Rewrite(azurite.ConnectionString), table.Client.Name));

        var entry = await trail.AppendAsync(Event("HH-2026-00007", 1));

        var direct = new AuditTrail(table.Client);
        Assert.Equal(1, entry.Sequence);
        Assert.Equal([1L], (await direct.ReadAsync("HH-2026-00007")).Select(e => e.Sequence));
        Assert.True((await direct.VerifyAsync("HH-2026-00007")).Intact);
        Assert.Equal(1, proxy.Counts.GetValueOrDefault(fault));
    }

    [Fact]
    public async Task AChangedEntryIsReportedAsTheFirstBrokenLink()
    {
        await using var table = await azurite.CreateTableAsync();
        var trail = new AuditTrail(table.Client);
        for (var i = 1; i <= 4; i++)
        {
            await trail.AppendAsync(Event("HH-2026-00002", i));
        }

        await table.Client.UpdateEntityAsync(new TableEntity("HH-2026-00002", "entry|000000000002") { ["Outcome"] = "refused" }, ETag.All, TableUpdateMode.Merge);

        var verification = await trail.VerifyAsync("HH-2026-00002");
        Assert.False(verification.Intact);
        Assert.Equal(2, verification.FirstBrokenSequence);
    }

    [Fact]
    public async Task ARemovedEntryOrRemovedTailIsReported()
    {
        await using var table = await azurite.CreateTableAsync();
        var trail = new AuditTrail(table.Client);
        for (var i = 1; i <= 4; i++)
        {
            await trail.AppendAsync(Event("a", i));
            await trail.AppendAsync(Event("b", i));
        }

        await table.Client.DeleteEntityAsync("a", "entry|000000000003", ETag.All);
        await table.Client.DeleteEntityAsync("b", "entry|000000000004", ETag.All);

        var results = (await trail.VerifyAllAsync()).ToDictionary(v => v.RecordId);
        Assert.Equal(3, results["a"].FirstBrokenSequence);
        Assert.Equal(4, results["b"].FirstBrokenSequence);
    }

    [Fact]
    public async Task ConcurrentAppendsToOneRecordSerialiseIntoOneChain()
    {
        await using var table = await azurite.CreateTableAsync();
        var trail = new AuditTrail(table.Client);

        await Task.WhenAll(Enumerable.Range(1, 20).Select(i => trail.AppendAsync(Event("HH-2026-00003", i))));

        var entries = await trail.ReadAsync("HH-2026-00003");
        Assert.Equal(20, entries.Count);
        Assert.Equal(20, entries.Select(e => e.Event.ActorId).Distinct().Count());
        Assert.True((await trail.VerifyAsync("HH-2026-00003")).Intact);
    }
}
