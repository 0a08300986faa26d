using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Reports;

namespace HandInHand.Domain.Tests.Reports;

public sealed class SuppressionTests
{
    private static readonly DateOnly Day = new(2026, 11, 23);

    private static ReportSet Build(int? threshold) => ReportBook.Build(
        [(Day, new Dictionary<string, long>
        {
            ["received"] = 20,
            ["source:social-care"] = 17,
            ["source:police"] = 3,
            ["gender:female"] = 10,
            ["gender:male"] = 10,
        })],
        Day, Day, "all", LifecycleSettings.DefaultMyWheelDomains, threshold);

    [Fact]
    public void AManagerOnScreenSeesExactCounts()
    {
        var set = Build(null);
        Assert.Equal("3", set.Sources.Categories.Single(c => c.Code == "police").Count.Display);
        Assert.Equal("20", set.Received.Display);
        Assert.Equal(15.0, set.Sources.Categories.Single(c => c.Code == "police").Percent);
    }

    [Fact]
    public void ASmallCountIsSuppressedAndItsTotalIsWithheldWhereverItAppears()
    {
        var set = Build(5);
        var police = set.Sources.Categories.Single(c => c.Code == "police");
        Assert.Equal(("<5", (long?)null, (double?)null), (police.Count.Display, police.Count.Value, police.Percent));
        Assert.Equal("[c]", set.Sources.Total.Display);
        Assert.Null(set.Sources.Categories.Single(c => c.Code == "social-care").Percent);

        // Gender has no small cell, but shares the received total: showing it there would give 20 − 17 = 3 back.
        Assert.Equal("[c]", set.Gender.Total.Display);
        Assert.Equal("[c]", set.Received.Display);
        Assert.All(set.Gender.Categories, c => Assert.Null(c.Percent));
        Assert.Equal("10", set.Gender.Categories.Single(c => c.Code == "female").Count.Display);
    }

    [Fact]
    public void ZeroIsShownBecauseItPointsToNobody()
    {
        var set = Build(5);
        Assert.Equal("0", set.Sources.Categories.Single(c => c.Code == "school").Count.Display);
    }

    [Fact]
    public void TheThresholdIsASetting()
    {
        var set = Build(3);
        Assert.Equal("3", set.Sources.Categories.Single(c => c.Code == "police").Count.Display);
        Assert.Equal("20", set.Received.Display);
    }
}
