using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using HandInHand.Domain.Lifecycle;
using HandInHand.Host.Tests.Lifecycle;
using HandInHand.Host.Tests.Referrals;
using HandInHand.Host.Tests.Support;
using HandInHand.Infrastructure.Audit;

namespace HandInHand.Host.Tests.Reports;

/// <summary>
/// The reports reproduce, from referrals driven through the real commands, the figures the
/// evaluation published, worked out by hand as integer cohorts:
/// <list type="bullet">
/// <item>125 referrals, 73 from children's social care: 73/125 = 58.4% (published 58%).</item>
/// <item>79 young people worked with (consent at first contact); 46 not taken for lack of capacity.</item>
/// <item>61 young people with two My Wheel assessments (a review, then the closure's). Overall improved
/// 41/61 = 67.2% (67%); Safety 49/61 = 80.3% (80%); Mental and emotional health 38/60 = 63.3% (63%):
/// one young person first scored that domain 10, so could not improve and is not in its denominator.</item>
/// <item>Risk at closure against allocation, of the same 61: reduced 29/61 = 47.5%, unchanged 30/61 = 49.2%,
/// increased 2/61 = 3.3%.</item>
/// <item>First contact: 71 within 24 hours and 8 at 30 hours: 71/79 = 89.9% within 24 hours.</item>
/// </list>
/// </summary>
public sealed class ReportFiguresTests(HandInHandFactory factory) : IClassFixture<HandInHandFactory>
{
    /// <summary>The days around this run (the host's clock starts at real time): every referral, and its first contact 30 hours on, falls inside.</summary>
    private static readonly string Range = string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"from={HandInHandFactory.Start.UtcDateTime.Date.AddDays(-1):yyyy-MM-dd}&to={HandInHandFactory.Start.UtcDateTime.Date.AddDays(4):yyyy-MM-dd}&service=hand-in-hand");
    private static readonly StaffActor Analyst = new("analyst-1", "analyst");

    [Fact]
    public async Task TheReportsPrintTheEvaluationsPublishedFiguresForACohortDrivenThroughTheCommands()
    {
        var hh = new LifecycleDriver(factory);
        await hh.PutPractitionerAsync(LifecycleDriver.SelbyPractitioner, LifecycleDriver.Selby, 100);
        var references = new string[125];
        await SideBySideAsync(0, 125, async i =>
        {
            var form = hh.Form(risk: i is 59 or 60 ? "medium" : "high")
                .With("referrer.type", JsonValue.Create(i < 73 ? "social-care" : "police"));
            references[i] = await hh.SubmitAsync(form);
        });

        await SideBySideAsync(0, 61, async i =>
        {
            var reference = references[i];
            var view = await hh.ActivateAsync(reference);
            var holder = StaffActor.Practitioner(view.PractitionerId!);
            await hh.CommandAsync(reference, "reviews", holder, new JsonObject { ["myWheel"] = FirstWheel(i), ["trafficLights"] = new JsonObject(), ["riskLevel"] = "high" });
            var closingRisk = i < 29 ? "medium" : "high";
            await hh.CommandAsync(reference, "close", holder, new JsonObject { ["reason"] = "goals-met", ["finalMyWheel"] = LatestWheel(i), ["riskLevel"] = closingRisk });
        });

        await SideBySideAsync(61, 71, async i => await hh.ActivateAsync(references[i]));
        await SideBySideAsync(79, 125, async i =>
            await hh.CommandAsync(references[i], "decline", StaffActor.Manager, new JsonObject { ["reason"] = "No capacity in the region", ["category"] = "capacity" }));

        // Eight young people are first contacted 30 hours after their referral arrived.
        factory.Clock.Advance(TimeSpan.FromHours(30));
        await SideBySideAsync(71, 79, async i => await hh.ActivateAsync(references[i]));

        var report = await hh.GetOkAsync<JsonElement>("/api/reports?" + Range);

        Assert.Equal(125, Value(report.GetProperty("received")));
        Assert.Equal(79, Value(report.GetProperty("workedWith")));
        AssertCategory(report.GetProperty("sources"), "social-care", 73, 58.4);
        AssertCategory(report.GetProperty("notTaken"), "capacity", 46, 100.0);
        AssertCategory(report.GetProperty("firstContactWithin24Hours"), "within-24h", 71, 89.9);
        AssertCategory(report.GetProperty("firstContact"), "24-48h", 8, 10.1);
        Assert.Equal(61, Value(report.GetProperty("wheelOverall").GetProperty("total")));
        AssertCategory(report.GetProperty("wheelOverall"), "improved", 41, 67.2);
        AssertCategory(Domain(report, "safety"), "improved", 49, 80.3);
        AssertCategory(Domain(report, "mental-and-emotional-health"), "improved", 38, 63.3);
        Assert.Equal(60, Value(Domain(report, "mental-and-emotional-health").GetProperty("total")));
        AssertCategory(report.GetProperty("riskChange"), "reduced", 29, 47.5);
        AssertCategory(report.GetProperty("riskChange"), "same", 30, 49.2);
        AssertCategory(report.GetProperty("riskChange"), "increased", 2, 3.3);

        // The page prints them.
        var page = await (await hh.GetAsync("/reports?" + Range, StaffActor.Manager)).Content.ReadAsStringAsync();
        Assert.Contains("<dd id=\"figure-received\">125</dd>", page, StringComparison.Ordinal);
        Assert.Contains("<dd id=\"figure-worked-with\">79</dd>", page, StringComparison.Ordinal);
        Assert.Contains("<dd id=\"figure-wheel\">67.2%</dd>", page, StringComparison.Ordinal);
        Assert.Contains("<dd id=\"figure-risk\">47.5%</dd>", page, StringComparison.Ordinal);
        Assert.Contains("<dd id=\"figure-first-contact\">89.9%</dd>", page, StringComparison.Ordinal);
        Assert.Contains("Children&#x27;s social care: 73 (58.4%)", page, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">Safety</th><td>49</td><td>61</td><td>80.3%</td>", page, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">Mental and emotional health</th><td>38</td><td>60</td><td>63.3%</td>", page, StringComparison.Ordinal);

        // An analyst sees the two increased-risk closures as "<5", and the total and shares they could be worked back from withheld.
        var suppressed = await hh.GetOkAsync<JsonElement>("/api/reports?" + Range, Analyst);
        var risk = suppressed.GetProperty("riskChange");
        Assert.Equal("<5", Category(risk, "increased").GetProperty("count").GetProperty("display").GetString());
        Assert.Equal(JsonValueKind.Null, Category(risk, "increased").GetProperty("count").GetProperty("value").ValueKind);
        Assert.Equal("[c]", risk.GetProperty("total").GetProperty("display").GetString());
        Assert.Equal(JsonValueKind.Null, Category(risk, "reduced").GetProperty("percent").ValueKind);
        Assert.Equal(29, Value(Category(risk, "reduced").GetProperty("count")));
        Assert.Equal(73, Value(Category(suppressed.GetProperty("sources"), "social-care").GetProperty("count")));
        Assert.Equal(58.4, Category(suppressed.GetProperty("sources"), "social-care").GetProperty("percent").GetDouble());

        // The export is suppressed for a manager too, and audited.
        var csvResponse = await hh.GetAsync("/api/reports/export.csv?" + Range + "&report=risk-change", StaffActor.Manager);
        Assert.Equal(HttpStatusCode.OK, csvResponse.StatusCode);
        Assert.Equal("text/csv", csvResponse.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", csvResponse.Content.Headers.ContentDisposition?.DispositionType);
        var csv = (await csvResponse.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
            [
                "report,title,category,label,count,percent",
                "risk-change,Risk level at closure compared with allocation,total,Total,[c],",
                "risk-change,Risk level at closure compared with allocation,reduced,Reduced,29,",
                "risk-change,Risk level at closure compared with allocation,same,Unchanged,30,",
                "risk-change,Risk level at closure compared with allocation,increased,Increased,<5,",
            ],
            csv);
        var exports = await hh.Service<AuditTrail>().ReadAsync(HandInHand.Host.Reports.ReportsApi.ExportAuditRecord);
        Assert.Contains(exports, e => e.Event.ActorId == "manager-1" && e.Event.Action.Contains("export.csv", StringComparison.Ordinal) && e.Event.Action.Contains(Range[5..15], StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("from=2026-13-01", "from")]
    [InlineData("from=2026-11-30&to=2026-11-01", "from")]
    [InlineData("service=everything", "service")]
    [InlineData("from=1990-01-01&to=2026-11-01", "to")]
    public async Task ABadRangeGetsAProblemNamingTheField(string query, string field)
    {
        var hh = new LifecycleDriver(factory);
        var problem = await LifecycleDriver.ProblemAsync(await hh.GetAsync("/api/reports?" + query, StaffActor.Manager), HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task DeclineAndWithdrawRequireACategoryFieldByField()
    {
        var hh = new LifecycleDriver(factory);
        var reference = await hh.SubmitAsync();
        var problem = await LifecycleDriver.ProblemAsync(await hh.SendAsync(reference, "decline", StaffActor.Manager, new JsonObject()), HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("reason", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("category", out _));
        var wrong = await LifecycleDriver.ProblemAsync(
            await hh.SendAsync(reference, "decline", StaffActor.Manager, new JsonObject { ["reason"] = "x", ["category"] = "declined-by-young-person" }), HttpStatusCode.BadRequest);
        Assert.True(wrong.GetProperty("errors").TryGetProperty("category", out _));
        Assert.Equal("AwaitingTriage", (await hh.ViewAsync(reference)).Stage);
    }

    /// <summary>
    /// Drives referrals <paramref name="from"/> to <paramref name="to"/> (exclusive) a few at a time:
    /// each referral's steps stay in order, and the cohort's referrals are independent of each other.
    /// </summary>
    private static Task SideBySideAsync(int from, int to, Func<int, Task> drive) =>
        Parallel.ForEachAsync(Enumerable.Range(from, to - from), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) => await drive(i));

    private static JsonObject FirstWheel(int i)
    {
        var wheel = LifecycleDriver.MyWheel(5);
        if (i == 60)
        {
            wheel["mental-and-emotional-health"] = 10;
        }

        return wheel;
    }

    private static JsonObject LatestWheel(int i)
    {
        var wheel = LifecycleDriver.MyWheel(5);
        wheel["safety"] = i < 49 ? 6 : 5;
        wheel["mental-and-emotional-health"] = i == 60 ? 10 : i < 38 ? 6 : 5;
        wheel["physical-health"] = i is >= 41 and < 49 ? 4 : 5;
        return wheel;
    }

    private static long Value(JsonElement cell) => cell.GetProperty("value").GetInt64();

    private static JsonElement Domain(JsonElement report, string domain) =>
        report.GetProperty("wheelDomains").EnumerateArray().Single(d => d.GetProperty("domain").GetString() == domain).GetProperty("improvement");

    private static JsonElement Category(JsonElement breakdown, string code) =>
        breakdown.GetProperty("categories").EnumerateArray().Single(c => c.GetProperty("code").GetString() == code);

    private static void AssertCategory(JsonElement breakdown, string code, long count, double percent)
    {
        var category = Category(breakdown, code);
        Assert.Equal(count, Value(category.GetProperty("count")));
        Assert.Equal(percent, category.GetProperty("percent").GetDouble());
    }
}
