using HandInHand.Domain.Referrals;

namespace HandInHand.Domain.Tests.Referrals;

public class ReferenceNumberTests
{
    [Fact]
    public void AReferenceReadsAsPrefixYearAndFiveDigitSequence()
    {
        Assert.Equal("HH-2026-00042", new ReferenceNumber("HH", 2026, 42).ToString());
        Assert.Equal("HH-2026-123456", new ReferenceNumber("HH", 2026, 123456).ToString());
    }

    [Theory]
    [InlineData("HH-2026-00042", 2026, 42)]
    [InlineData(" hh-2026-00042 ", 2026, 42)]
    public void AReferenceParsesBack(string text, int year, long sequence)
    {
        Assert.True(ReferenceNumber.TryParse(text, out var reference));
        Assert.Equal(new ReferenceNumber("HH", year, sequence), reference);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("HH-26-00042")]
    [InlineData("HH-2026-42")]
    [InlineData("HH-2026-00000")]
    [InlineData("HH-2026-00042/../x")]
    [InlineData("HH-2026-00042'")]
    public void AnythingElseIsNotAReference(string? text)
    {
        Assert.False(ReferenceNumber.TryParse(text, out _));
    }
}
