using HandInHand.Infrastructure.Tables;

namespace HandInHand.Infrastructure.Tests.Tables;

/// <summary>TableEntity and TableFilter rules that need no service.</summary>
public sealed class ModelTests
{
    [Fact]
    public void UnsupportedPropertyTypesAreRefusedWhenSet()
    {
        var entity = new TableEntity("p", "r");

        Assert.Throws<ArgumentException>(() => entity["When"] = DateTime.UtcNow);
        Assert.Throws<ArgumentException>(() => entity["Price"] = 1.5m);
        Assert.Throws<ArgumentException>(() => entity["Ratio"] = 1.5f);
        Assert.Throws<ArgumentException>(() => entity["List"] = new List<string>());
    }

    [Theory]
    [InlineData("")]
    [InlineData("1abc")]
    [InlineData("has-dash")]
    [InlineData("odata.etag")]
    [InlineData("Name@odata.type")]
    [InlineData("Timestamp")]
    public void InvalidOrReservedPropertyNamesAreRefused(string name)
    {
        var entity = new TableEntity("p", "r");

        Assert.Throws<ArgumentException>(() => entity[name] = "x");
    }

    [Fact]
    public void SettingNullRemovesAProperty()
    {
        var entity = new TableEntity("p", "r") { ["A"] = "x" };

        entity["A"] = null;

        Assert.False(entity.ContainsProperty("A"));
        Assert.Null(entity.GetString("A"));
    }

    [Fact]
    public void TypedGettersRefuseAValueOfAnotherTypeWithoutRevealingIt()
    {
        var entity = new TableEntity("p", "r") { ["Secret"] = "classified-value" };

        var failure = Assert.Throws<InvalidOperationException>(() => entity.GetInt32("Secret"));

        Assert.DoesNotContain("classified-value", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheIndexerAddressesTheKeysAndEnumerationYieldsOnlyCustomProperties()
    {
        var entity = new TableEntity("p", "r") { ["A"] = 1 };

        entity["RowKey"] = "r2";

        Assert.Equal("p", entity["PartitionKey"]);
        Assert.Equal("r2", entity.RowKey);
        Assert.Equal(["A"], entity.Select(p => p.Key));
    }

    [Fact]
    public void FilterArgumentsBecomeQuotedAndTypedODataLiterals()
    {
        var id = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
        var when = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.FromHours(1)).AddTicks(1234567);

        string filter = TableFilter.Create(
            $"S eq {"it's"} and G eq {id} and T lt {when} and L eq {1L << 60} and I eq {-3} and B eq {false} and D eq {2.0} and E eq {0.25} and X eq {new byte[] { 0x0a, 0xff }}");

        Assert.Equal(
            "S eq 'it''s' and G eq guid'0f8fad5b-d9cb-469f-a165-70867728950e' and T lt datetime'2024-01-02T02:04:05.1234567Z'"
            + " and L eq 1152921504606846976L and I eq -3 and B eq false and D eq 2.0 and E eq 0.25 and X eq X'0aff'",
            filter);
    }

    [Fact]
    public void AQuoteInjectionAttemptStaysInsideItsLiteral()
    {
        Assert.Equal("Name eq 'x'' or ''1'' eq ''1'", TableFilter.Create($"Name eq {"x' or '1' eq '1"}"));
    }

    [Fact]
    public void NullNonFiniteAndUnsupportedFilterArgumentsAreRefused()
    {
        Assert.Throws<ArgumentException>(() => TableFilter.Create($"A eq {(string?)null}"));
        Assert.Throws<ArgumentException>(() => TableFilter.Create($"A eq {double.NaN}"));
        Assert.Throws<ArgumentException>(() => TableFilter.Create($"A eq {DateTime.UtcNow}"));
        Assert.Throws<ArgumentException>(() => TableFilter.Create($"A eq {1.5m}"));
    }
}
