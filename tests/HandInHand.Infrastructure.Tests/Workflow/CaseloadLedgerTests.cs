using HandInHand.Infrastructure.Storage;
using HandInHand.Infrastructure.Tests.Storage;
using HandInHand.Infrastructure.Workflow;
using Microsoft.Extensions.Options;

namespace HandInHand.Infrastructure.Tests.Workflow;

/// <summary>
/// The caseload ledger against Azurite: places taken and freed under capacity, and each
/// practitioner's count, which the caseloads pages read instead of the places, equal to the places
/// it counts however changes race.
/// </summary>
public sealed class CaseloadLedgerTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);
    private readonly TableProvider _tables = new(Options.Create(new StorageOptions { ConnectionString = azurite.ConnectionString, TablePrefix = "t" + Guid.NewGuid().ToString("N")[..12] }));
    private CaseloadLedger _ledger = null!;

    public async Task InitializeAsync()
    {
        await _tables.Get(WorkflowTables.Caseloads).CreateIfNotExistsAsync();
        _ledger = new CaseloadLedger(_tables);
    }

    public async Task DisposeAsync() => await _tables.Get(WorkflowTables.Caseloads).DeleteTableAsync();

    [Fact]
    public async Task PlacesAreTakenUpToCapacityFreedAndCounted()
    {
        Assert.True(await _ledger.TryReserveAsync("p1", "HH-1", capacity: 2, Now));
        Assert.True(await _ledger.TryReserveAsync("p1", "HH-2", capacity: 2, Now));
        Assert.False(await _ledger.TryReserveAsync("p1", "HH-3", capacity: 2, Now));
        Assert.True(await _ledger.TryReserveAsync("p1", "HH-1", capacity: 2, Now)); // held already: no second place
        Assert.Equal(["place-001", "place-002"], (await _ledger.ListAsync("p1")).Select(p => p.RowKey).Order(StringComparer.Ordinal));
        Assert.Equal(2, (await _ledger.CountsAsync())["p1"]);

        await _ledger.ReleaseAsync("p1", "HH-1");
        await _ledger.ReleaseAsync("p1", "HH-1"); // freeing a free place is fine
        Assert.Equal(1, (await _ledger.CountsAsync())["p1"]);
        Assert.True(await _ledger.TryReserveAsync("p1", "HH-3", capacity: 2, Now));
        var places = await _ledger.ListAsync("p1");
        Assert.Equal([("HH-2", "place-002"), ("HH-3", "place-001")], places.Select(p => (p.Reference, p.RowKey)).Order());
        Assert.All(places, p => Assert.Equal(("p1", Now), (p.PractitionerId, p.ReservedAt)));

        // The manager's override goes over capacity, and is counted.
        await _ledger.ReserveOverCapacityAsync("p1", "HH-4", Now);
        await _ledger.ReserveOverCapacityAsync("p1", "HH-4", Now);
        Assert.Equal(3, (await _ledger.CountsAsync())["p1"]);
        Assert.Contains(await _ledger.ListAsync("p1"), p => p is { Reference: "HH-4", RowKey: "override-HH-4" });
    }

    [Fact]
    public async Task PractitionersWhoseIdsShareABeginningKeepTheirOwnPlacesAndCounts()
    {
        Assert.True(await _ledger.TryReserveAsync("p1", "HH-1", 5, Now));
        Assert.True(await _ledger.TryReserveAsync("p10", "HH-2", 5, Now));
        Assert.True(await _ledger.TryReserveAsync("p10", "HH-3", 5, Now));
        Assert.True(await _ledger.TryReserveAsync("p1-b", "HH-4", 5, Now));

        Assert.Equal(["HH-1"], (await _ledger.ListAsync("p1")).Select(p => p.Reference));
        Assert.Equal(["HH-2", "HH-3"], (await _ledger.ListAsync("p10")).Select(p => p.Reference).Order(StringComparer.Ordinal));
        var all = await _ledger.ListAllAsync();
        Assert.Equal(["p1", "p1-b", "p10"], all.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(2, all["p10"].Count);
        Assert.Equal(new Dictionary<string, int> { ["p1"] = 1, ["p10"] = 2, ["p1-b"] = 1 }, await _ledger.CountsAsync());
        Assert.Equal(0, (await _ledger.CountsAsync()).GetValueOrDefault("p2"));
    }

    [Fact]
    public async Task RacingAllocationsTakeExactlyTheFreePlacesAndTheCountEqualsThePlaces()
    {
        // 12 referrals race for one practitioner's 5 places, 4 of them reserved twice at once (two
        // offers of a freed place).
        var racing = Enumerable.Range(0, 12).Select(i => _ledger.TryReserveAsync("p1", $"HH-{i}", capacity: 5, Now))
            .Concat(Enumerable.Range(0, 4).Select(i => _ledger.TryReserveAsync("p1", $"HH-{i}", capacity: 5, Now)))
            .ToList();
        var results = await Task.WhenAll(racing);

        var places = await _ledger.ListAsync("p1");
        Assert.Equal(5, places.Count);
        Assert.Equal(5, places.Select(p => p.Reference).Distinct().Count()); // one place per referral
        Assert.Equal(["place-001", "place-002", "place-003", "place-004", "place-005"], places.Select(p => p.RowKey).Order(StringComparer.Ordinal));
        Assert.Equal(5, (await _ledger.CountsAsync())["p1"]);
        // Every referral told it holds a place holds one, and no other does.
        var told = Enumerable.Range(0, 16).Where(i => results[i]).Select(i => $"HH-{i % 12}").ToHashSet();
        Assert.Equal(told.Order(StringComparer.Ordinal), places.Select(p => p.Reference).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task OverridesAndReleasesAtOnceEachChangeTheCountOnce()
    {
        // Overrides take places with keys of their own, so nothing but the count's condition keeps
        // two of them at once from both counting from the same number.
        await Task.WhenAll(Enumerable.Range(0, 10).Select(i => _ledger.ReserveOverCapacityAsync("p1", $"HH-{i}", Now)));
        Assert.Equal(10, (await _ledger.ListAsync("p1")).Count);
        Assert.Equal(10, (await _ledger.CountsAsync())["p1"]);

        await Task.WhenAll(Enumerable.Range(0, 7).Select(i => _ledger.ReleaseAsync("p1", $"HH-{i}")));
        Assert.Equal(3, (await _ledger.ListAsync("p1")).Count);
        Assert.Equal(3, (await _ledger.CountsAsync())["p1"]);
    }

    [Fact]
    public async Task PlacesFreedWhileOthersAreTakenLeaveTheCountEqualToThePlaces()
    {
        for (var i = 0; i < 4; i++)
        {
            Assert.True(await _ledger.TryReserveAsync("p1", $"HH-OLD-{i}", capacity: 5, Now));
        }

        var changes = Enumerable.Range(0, 8).Select(i => (Task)_ledger.TryReserveAsync("p1", $"HH-{i}", capacity: 5, Now))
            .Concat(Enumerable.Range(0, 4).Select(i => _ledger.ReleaseAsync("p1", $"HH-OLD-{i}")))
            .ToList();
        await Task.WhenAll(changes);

        var places = await _ledger.ListAsync("p1");
        Assert.InRange(places.Count, 1, 5);
        Assert.DoesNotContain(places, p => p.Reference.StartsWith("HH-OLD-", StringComparison.Ordinal));
        Assert.Equal(places.Count, places.Select(p => p.RowKey).Distinct().Count());
        Assert.Equal(places.Count, (await _ledger.CountsAsync())["p1"]);
    }
}
