using System.Text.Json;
using System.Text.Json.Nodes;
using HandInHand.Host.Tests.Lifecycle;
using HandInHand.Host.Tests.Support;
using HandInHand.Infrastructure.Reports;

namespace HandInHand.Host.Tests.Reports;

/// <summary>The projections follow the referral's state however often they are refreshed, and when a step takes a figure back.</summary>
public sealed class ProjectionTests(HandInHandFactory factory) : IClassFixture<HandInHandFactory>
{
    private const string Range = "/api/reports?from=2026-11-01&to=2026-12-31&service=hand-in-hand";

    [Fact]
    public async Task ARepeatedRefreshChangesNothingAndAReopenedCaseLeavesTheClosureFigures()
    {
        var hh = new LifecycleDriver(factory);
        await hh.PutPractitionerAsync(LifecycleDriver.SelbyPractitioner, LifecycleDriver.Selby, 50);
        var reference = await hh.SubmitAsync();
        var view = await hh.ActivateAsync(reference);
        var holder = StaffActor.Practitioner(view.PractitionerId!);
        await hh.CommandAsync(reference, "reviews", holder, LifecycleDriver.Review("high", 4));
        factory.Clock.Advance(TimeSpan.FromDays(3));
        await hh.CommandAsync(reference, "close", holder, LifecycleDriver.Closure(risk: "medium"));
        var closed = await ReportAsync(hh);
        Assert.Equal(1, Count(closed, "riskChange", "reduced"));
        Assert.Equal(1, Count(closed, "wheelOverall", "improved"));

        // At-least-once delivery: the effect carried out again, and twice at once, writes the same figures.
        var projection = hh.Service<ReportProjection>();
        await projection.RefreshAsync(reference);
        await Task.WhenAll(projection.RefreshAsync(reference), projection.RefreshAsync(reference));
        Assert.Equal(closed.ToString(), (await ReportAsync(hh)).ToString());

        await hh.CommandAsync(reference, "reopen", StaffActor.Manager, new JsonObject { ["reason"] = "New concerns" });
        var reopened = await ReportAsync(hh);
        Assert.Equal(0, Count(reopened, "riskChange", "reduced"));
        Assert.Equal(0, reopened.GetProperty("wheelOverall").GetProperty("total").GetProperty("value").GetInt64());
        Assert.Equal(Count(closed, "sources", "social-care"), Count(reopened, "sources", "social-care"));
        Assert.Equal(closed.GetProperty("workedWith").GetProperty("value").GetInt64(), reopened.GetProperty("workedWith").GetProperty("value").GetInt64());
    }

    private static Task<JsonElement> ReportAsync(LifecycleDriver hh) => hh.GetOkAsync<JsonElement>(Range);

    private static long Count(JsonElement report, string breakdown, string code) =>
        report.GetProperty(breakdown).GetProperty("categories").EnumerateArray().Single(c => c.GetProperty("code").GetString() == code).GetProperty("count").GetProperty("value").GetInt64();
}
