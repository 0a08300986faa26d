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

    [Fact]
    public async Task EachDaysTotalKeptAsContributionsChangeIsTheSumOfItsRows()
    {
        var hh = new LifecycleDriver(factory);
        await hh.PutPractitionerAsync(LifecycleDriver.SelbyPractitioner, LifecycleDriver.Selby, 50);
        var references = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            references.Add(await hh.SubmitAsync());
        }

        // Steps change rows already counted (first contact adds to the day the referral came in).
        await hh.ActivateAsync(references[0]);
        await hh.ActivateAsync(references[1]);
        var projection = hh.Service<ReportProjection>();
        await Task.WhenAll(references.SelectMany(r => new[] { projection.RefreshAsync(r), projection.RefreshAsync(r) }));
        var kept = await DaysAsync(hh);
        Assert.Contains(kept.Values, d => d.Referrals >= 6);

        // Summing every row again gives what the running totals gave.
        foreach (var (pathway, date) in kept.Keys)
        {
            await projection.RecomputeDayAsync(pathway, DateOnly.ParseExact(date, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        }

        Assert.Equal(kept, await DaysAsync(hh));

        // Every referral's rows written again at once, each moving its date's total from nothing:
        // only the total's condition keeps one from writing over another's move.
        var contributions = hh.Service<HandInHand.Infrastructure.Storage.TableProvider>().Get(ReportTables.Contributions);
        var everything = new List<(string Partition, string Row)>();
        await foreach (var row in contributions.QueryAsync())
        {
            everything.Add((row.PartitionKey, row.RowKey));
        }

        foreach (var (partition, row) in everything)
        {
            await contributions.DeleteEntityAsync(partition, row, Azure.ETag.All);
        }

        await Task.WhenAll(references.Select(r => projection.RefreshAsync(r)));
        Assert.Equal(kept, await DaysAsync(hh));

        // A date whose rows were written before the totals existed is summed once, then kept.
        var totals = new List<(string Partition, string Row)>();
        await foreach (var row in contributions.QueryAsync("RowKey eq '~total'"))
        {
            totals.Add((row.PartitionKey, row.RowKey));
        }

        Assert.NotEmpty(totals);
        foreach (var (partition, row) in totals)
        {
            await contributions.DeleteEntityAsync(partition, row, Azure.ETag.All);
        }

        await hh.ActivateAsync(references[2]);
        await projection.RefreshAsync(references[2]);
        var after = await DaysAsync(hh);
        foreach (var (pathway, date) in after.Keys)
        {
            await projection.RecomputeDayAsync(pathway, DateOnly.ParseExact(date, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        }

        Assert.Equal(after, await DaysAsync(hh));
        Assert.NotEqual(kept, after);
    }

    private static async Task<Dictionary<(string Pathway, string Date), (string Counters, int Referrals)>> DaysAsync(LifecycleDriver hh)
    {
        var days = new Dictionary<(string, string), (string, int)>();
        await foreach (var row in hh.Service<HandInHand.Infrastructure.Storage.TableProvider>().Get(ReportTables.Days).QueryAsync())
        {
            days[(row.PartitionKey, row.RowKey)] = (row.GetString("Counters")!, row.GetInt32("Referrals") ?? 0);
        }

        return days;
    }

    private static Task<JsonElement> ReportAsync(LifecycleDriver hh) => hh.GetOkAsync<JsonElement>(Range);

    private static long Count(JsonElement report, string breakdown, string code) =>
        report.GetProperty(breakdown).GetProperty("categories").EnumerateArray().Single(c => c.GetProperty("code").GetString() == code).GetProperty("count").GetProperty("value").GetInt64();
}
