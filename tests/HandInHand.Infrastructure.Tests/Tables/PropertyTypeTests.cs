using HandInHand.Infrastructure.Tables;

namespace HandInHand.Infrastructure.Tests.Tables;

/// <summary>Every supported property type survives a write and a read with its type intact (Azurite).</summary>
public sealed class PropertyTypeTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task EverySupportedTypeRoundTripsWithItsType()
    {
        await using var table = await azurite.CreateTableAsync();
        var when = new DateTimeOffset(2024, 2, 29, 23, 59, 58, TimeSpan.Zero).AddTicks(1_234_567);
        var id = Guid.NewGuid();
        byte[] bytes = [0, 1, 2, 254, 255];
        var entity = new TableEntity("types", "all")
        {
            ["Text"] = "plain",
            ["Empty"] = string.Empty,
            ["Unicode"] = "Grüße, 你好, emoji 😀, RTL שלום",
            ["Flag"] = true,
            ["Off"] = false,
            ["Small"] = int.MinValue,
            ["Big"] = (1L << 53) + 1,
            ["Max"] = long.MaxValue,
            ["Min"] = long.MinValue,
            ["LongThatFitsInt"] = 5L,
            ["Fraction"] = 0.1,
            ["Whole"] = 2.0,
            ["Huge"] = 1.7976931348623157E+308,
            ["Tiny"] = double.Epsilon,
            ["When"] = when,
            ["Id"] = id,
            ["Bytes"] = bytes,
            ["NoBytes"] = Array.Empty<byte>(),
        };

        await table.Client.AddEntityAsync(entity);
        var read = (await table.Client.GetEntityIfExistsAsync("types", "all"))!;

        Assert.IsType<string>(read["Text"]);
        Assert.Equal("plain", read.GetString("Text"));
        Assert.Equal(string.Empty, read.GetString("Empty"));
        Assert.Equal("Grüße, 你好, emoji 😀, RTL שלום", read.GetString("Unicode"));
        Assert.Equal(true, read["Flag"]);
        Assert.Equal(false, read.GetBoolean("Off"));
        Assert.Equal(int.MinValue, read["Small"]);
        Assert.Equal((1L << 53) + 1, read["Big"]);
        Assert.Equal(long.MaxValue, read["Max"]);
        Assert.Equal(long.MinValue, read["Min"]);
        Assert.Equal(5L, read["LongThatFitsInt"]);
        Assert.Equal(0.1, read["Fraction"]);
        Assert.Equal(2.0, read.GetDouble("Whole"));
        Assert.Equal(1.7976931348623157E+308, read["Huge"]);
        Assert.Equal(double.Epsilon, read["Tiny"]);
        var readWhen = Assert.IsType<DateTimeOffset>(read["When"]);
        Assert.Equal(when.UtcTicks, readWhen.UtcTicks);
        Assert.Equal(TimeSpan.Zero, readWhen.Offset);
        Assert.Equal(id, read["Id"]);
        Assert.Equal(bytes, read.GetBinary("Bytes"));
        Assert.Equal(Array.Empty<byte>(), read.GetBinary("NoBytes"));
        Assert.Equal(entity.Count, read.Count);
    }

    [Fact]
    public async Task NonFiniteAndSignedZeroDoublesRoundTrip()
    {
        await using var table = await azurite.CreateTableAsync();

        await table.Client.AddEntityAsync(new TableEntity("p", "r")
        {
            ["NaN"] = double.NaN, ["Up"] = double.PositiveInfinity, ["Down"] = double.NegativeInfinity, ["Zero"] = -0.0,
        });
        var read = (await table.Client.GetEntityIfExistsAsync("p", "r"))!;

        Assert.True(double.IsNaN(read.GetDouble("NaN")!.Value));
        Assert.Equal(double.PositiveInfinity, read["Up"]);
        Assert.Equal(double.NegativeInfinity, read["Down"]);
        Assert.Equal(0.0, read.GetDouble("Zero"));
    }

    [Fact]
    public async Task ADateTimeOffsetWithAnOffsetIsStoredAsTheSameInstantInUtc()
    {
        await using var table = await azurite.CreateTableAsync();
        var local = new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.FromHours(2)).AddTicks(9_999_999);

        await table.Client.AddEntityAsync(new TableEntity("p", "r") { ["At"] = local });
        var read = (await table.Client.GetEntityIfExistsAsync("p", "r"))!.GetDateTimeOffset("At")!.Value;

        Assert.Equal(local, read);
        Assert.Equal(TimeSpan.Zero, read.Offset);
        Assert.Equal(new DateTime(2025, 6, 1, 10, 0, 0, DateTimeKind.Utc).AddTicks(9_999_999), read.UtcDateTime);
    }

    [Fact]
    public async Task TypedValuesAlsoRoundTripThroughQueries()
    {
        await using var table = await azurite.CreateTableAsync();
        var id = Guid.NewGuid();
        await table.Client.AddEntityAsync(new TableEntity("p", "r") { ["Big"] = long.MaxValue, ["Id"] = id, ["Bytes"] = new byte[] { 7 } });

        var all = await table.Client.QueryAsync().ToListAsync();

        var read = Assert.Single(all);
        Assert.Equal(long.MaxValue, read["Big"]);
        Assert.Equal(id, read["Id"]);
        Assert.Equal(new byte[] { 7 }, read["Bytes"]);
        Assert.NotEqual(default, read.ETag);
    }
}
