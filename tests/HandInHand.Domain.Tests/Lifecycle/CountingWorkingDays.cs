using System.Globalization;
using HandInHand.Domain.Lifecycle;

namespace HandInHand.Domain.Tests.Lifecycle;

public class CountingWorkingDays
{
    [Theory]
    [InlineData("2026-11-23T10:00:00+00:00", 1, "2026-11-24T10:00:00+00:00")] // Monday → Tuesday
    [InlineData("2026-11-26T10:00:00+00:00", 1, "2026-11-27T10:00:00+00:00")] // Thursday → Friday
    [InlineData("2026-11-27T10:00:00+00:00", 1, "2026-11-30T10:00:00+00:00")] // Friday → Monday
    [InlineData("2026-11-28T10:00:00+00:00", 1, "2026-11-30T10:00:00+00:00")] // Saturday → Monday
    [InlineData("2026-11-29T10:00:00+00:00", 1, "2026-11-30T10:00:00+00:00")] // Sunday → Monday
    [InlineData("2026-11-27T10:00:00+00:00", 2, "2026-12-01T10:00:00+00:00")] // Friday → Tuesday
    [InlineData("2026-11-23T10:00:00+00:00", 5, "2026-11-30T10:00:00+00:00")] // a working week
    [InlineData("2026-11-23T10:00:00+00:00", 0, "2026-11-23T10:00:00+00:00")]
    public void WorkingDaysSkipTheWeekendAndKeepTheTimeOfDay(string from, int days, string expected)
    {
        Assert.Equal(Parse(expected), WorkingDays.Add(Parse(from), days));
    }

    [Fact]
    public void WorkingDaysDoNotCountBackwards()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => WorkingDays.Add(Moments.T0, -1));
    }

    private static DateTimeOffset Parse(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);
}
