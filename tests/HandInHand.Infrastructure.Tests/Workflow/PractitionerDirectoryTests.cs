using Azure.Data.Tables;
using HandInHand.Infrastructure.Storage;
using HandInHand.Infrastructure.Tests.Storage;
using HandInHand.Infrastructure.Workflow;
using Microsoft.Extensions.Options;

namespace HandInHand.Infrastructure.Tests.Workflow;

/// <summary>
/// The practitioner directory against Azurite. Its entries share their rows with the caseload
/// ledger's counts, so each side must keep what the other wrote; and the entries left in the
/// table it used before move into the ledger.
/// </summary>
public sealed class PractitionerDirectoryTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);
    private static readonly Practitioner Ada = new("p1", "Ada", ["North"], 3);
    private readonly TableProvider _tables = new(Options.Create(new StorageOptions { ConnectionString = azurite.ConnectionString, TablePrefix = "t" + Guid.NewGuid().ToString("N")[..12] }));
    private CaseloadLedger _ledger = null!;
    private PractitionerDirectory _directory = null!;

    public async Task InitializeAsync()
    {
        await _tables.Get(WorkflowTables.Caseloads).CreateIfNotExistsAsync();
        _ledger = new CaseloadLedger(_tables);
        _directory = new PractitionerDirectory(_tables);
    }

    public async Task DisposeAsync()
    {
        await _tables.Get(WorkflowTables.Caseloads).DeleteTableAsync();
        await _tables.Get(PractitionerDirectory.RetiredTable).DeleteTableAsync();
    }

    [Fact]
    public async Task AnEntryAndItsCountKeepEachOtherWhicheverIsWrittenLast()
    {
        Assert.True(await _directory.AddAsync(Ada));
        Assert.True(await _ledger.TryReserveAsync("p1", "HH-1", Ada.Capacity, Now));
        Assert.True(await _ledger.TryReserveAsync("p1", "HH-2", Ada.Capacity, Now));
        await _directory.SaveAsync(Ada with { Capacity = 5, Regions = ["North", "East"] });
        Assert.Equal(2, Assert.Single(await _directory.ListWithCaseloadsAsync()).Held);
        Assert.True(await _ledger.TryReserveAsync("p1", "HH-3", capacity: 5, Now));
        await _ledger.ReleaseAsync("p1", "HH-1");

        var listed = Assert.Single(await _directory.ListWithCaseloadsAsync());
        Assert.Equal(2, listed.Held);
        Assert.Equal(Ada with { Capacity = 5, Regions = ["North", "East"] }, listed.Practitioner, PractitionerComparer.Instance);
        Assert.Equal(5, (await _directory.GetAsync("p1"))!.Capacity);
        Assert.Equal(2, (await _ledger.CountsAsync())["p1"]);
    }

    [Fact]
    public async Task ACountWithoutAnEntryIsNoPractitionerUntilOneIsAddedAndAnEntryIsNeverAddedTwice()
    {
        Assert.True(await _ledger.TryReserveAsync("p2", "HH-1", capacity: 1, Now));
        Assert.Null(await _directory.GetAsync("p2"));
        Assert.Empty(await _directory.ListAsync());

        Assert.True(await _directory.AddAsync(new Practitioner("p2", "Bea", ["South"], 4)));
        Assert.False(await _directory.AddAsync(new Practitioner("p2", "Someone else", ["West"], 9)));
        await _directory.SeedAsync([new Practitioner("p2", "Configured", ["West"], 8), Ada]);

        var listed = await _directory.ListWithCaseloadsAsync();
        Assert.Equal(["p1", "p2"], listed.Select(c => c.Practitioner.Id));
        Assert.Equal([0, 1], listed.Select(c => c.Held));
        Assert.Equal("Bea", listed[1].Practitioner.DisplayName);
        Assert.Equal(4, listed[1].Practitioner.Capacity);
    }

    [Fact]
    public async Task EntriesLeftInTheRetiredTableMoveIntoTheLedgerWithoutOverwritingOneThereAndTheTableIsDropped()
    {
        var retired = _tables.Get(PractitionerDirectory.RetiredTable);
        await retired.CreateIfNotExistsAsync();
        await retired.AddEntityAsync(new TableEntity("practitioner", "p1") { ["DisplayName"] = "Ada (old)", ["Regions"] = "[\"North\"]", ["Capacity"] = 6, ["Active"] = true });
        await retired.AddEntityAsync(new TableEntity("practitioner", "p3") { ["DisplayName"] = "Cal", ["Regions"] = "[\"West\",\"East\"]", ["Capacity"] = 2, ["Active"] = false });
        await _directory.AddAsync(Ada);
        Assert.True(await _ledger.TryReserveAsync("p3", "HH-9", capacity: 2, Now));

        await _directory.AdoptRetiredTableAsync();
        await _directory.AdoptRetiredTableAsync(); // a second start finds no table: nothing to do

        var listed = await _directory.ListWithCaseloadsAsync();
        Assert.Equal(["Ada", "Cal"], listed.Select(c => c.Practitioner.DisplayName));
        Assert.Equal(new Practitioner("p3", "Cal", ["West", "East"], 2, Active: false), listed[1].Practitioner, PractitionerComparer.Instance);
        Assert.Equal(1, listed[1].Held);
        var error = await Assert.ThrowsAsync<Azure.RequestFailedException>(async () => await retired.QueryAsync().ToListAsync());
        Assert.Equal(404, error.Status);
    }

    /// <summary>Practitioners alike field by field (a record compares its regions list by reference).</summary>
    private sealed class PractitionerComparer : IEqualityComparer<Practitioner>
    {
        public static readonly PractitionerComparer Instance = new();

        public bool Equals(Practitioner? x, Practitioner? y) =>
            x is not null && y is not null && x.Id == y.Id && x.DisplayName == y.DisplayName && x.Regions.SequenceEqual(y.Regions) && x.Capacity == y.Capacity && x.Active == y.Active;

        public int GetHashCode(Practitioner obj) => obj.Id.GetHashCode(StringComparison.Ordinal);
    }
}
