using System.Text.Json.Nodes;
using HandInHand.Host.Tests.Lifecycle;
using HandInHand.Host.Tests.Referrals;
using HandInHand.Host.Tests.Support;
using Microsoft.Playwright;

namespace HandInHand.Host.Tests.Reports;

/// <summary>The dashboard and the reports page in headless Chromium, signed in through the development identity headers.</summary>
public sealed class DashboardBrowserTests(KestrelHandInHandFactory factory) : IClassFixture<KestrelHandInHandFactory>
{
    private static readonly string[] ChartIds = ["chart-sources", "chart-not-taken", "chart-gender", "chart-ethnicity", "chart-age", "chart-first-contact", "chart-risk-change", "chart-wheel", "chart-waiting", "chart-time-waited"];

    [Fact]
    public async Task AManagerSeesTheDayOnTheDashboardThenFollowsItsLinkToTheLabelledChartsAndDownloadsTheReportsAsCsv()
    {
        var (waiting, _) = await SeedAsync();
        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        await using var context = await SignedInAsync(browser, "manager-1", "manager");
        var page = await context.NewPageAsync();
        var cspErrors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                cspErrors.Add(message.Text);
            }
        };

        var response = await page.GotoAsync("/staff/dashboard");
        Assert.Equal(200, response!.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#triage-table")).ToContainTextAsync(waiting);
        await Assertions.Expect(page.Locator("#overdue")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#caseload-table")).ToContainTextAsync("Practitioner practitioner-selby");
        await Assertions.Expect(page.Locator("svg")).ToHaveCountAsync(0);

        await page.GetByRole(AriaRole.Link, new() { Name = "reports page" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Uri(factory.ServerAddress, "/reports").ToString());
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Reports", Exact = true })).ToBeVisibleAsync();
        // Exact for a manager: whichever test of this class ran first, there are 3 or 6 referrals.
        await Assertions.Expect(page.Locator("#figure-received")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^[36]$"));

        foreach (var id in ChartIds)
        {
            var figure = page.Locator("#" + id);
            await Assertions.Expect(figure).ToBeVisibleAsync();
            var svg = figure.Locator("svg[role=img]");
            var title = (await svg.Locator("title").TextContentAsync())!;
            Assert.False(string.IsNullOrWhiteSpace(title), id);
            Assert.False(string.IsNullOrWhiteSpace(await svg.Locator("desc").TextContentAsync()), id);
            Assert.Equal(title, (await figure.Locator("figcaption").TextContentAsync())!.Trim());
            Assert.True(await svg.Locator("text.axis-label").CountAsync() >= 2, id + " has no axis labels");
            await Assertions.Expect(page.GetByRole(AriaRole.Img, new() { Name = title })).ToHaveCountAsync(1);
        }

        await Assertions.Expect(page.Locator("#chart-sources desc")).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"Children's social care: [24] \(66\.7%\)")); // 3 or 6 referrals, as above
        await Assertions.Expect(page.Locator("#chart-first-contact rect.bar")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#chart-wheel rect.bar-after")).Not.ToHaveCountAsync(0);

        // The link's own request, made by the browser context with the signed-in headers. (Debian's
        // headless Chromium here cancels <a download> saves, so the file is fetched, not saved.)
        var link = page.GetByRole(AriaRole.Link, new() { Name = "Download these reports as CSV" });
        var href = (await link.GetAttributeAsync("href"))!;
        Assert.NotNull(await link.GetAttributeAsync("download"));
        var csvResponse = await context.APIRequest.GetAsync(href);
        Assert.Equal(200, csvResponse.Status);
        Assert.StartsWith("text/csv", csvResponse.Headers["content-type"], StringComparison.Ordinal);
        Assert.StartsWith("attachment; filename=handinhand-reports-all-", csvResponse.Headers["content-disposition"], StringComparison.Ordinal);
        var lines = (await csvResponse.TextAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("report,title,category,label,count,percent", lines[0]);
        var rows = lines.Skip(1).Select(ParseCsvLine).ToList();
        Assert.All(rows, r => Assert.Equal(6, r.Count));
        // Whichever test of this class ran first, there are 3 or 6 referrals: never an exact count in an export.
        Assert.Contains(rows, r => r[0] == "summary" && r[2] == "received" && r[4] is "<5" or "[c]");
        Assert.Contains(rows, r => r[0] == "sources" && r[2] == "social-care" && r[4] == "<5");
        Assert.Empty(cspErrors);
    }

    [Fact]
    public async Task AnAnalystReadsTheReportsButCannotReachACaseOrTheDashboard()
    {
        var (waiting, active) = await SeedAsync();
        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        await using var context = await SignedInAsync(browser, "analyst-1", "analyst");
        var page = await context.NewPageAsync();

        var reports = await page.GotoAsync("/reports");
        Assert.Equal(200, reports!.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Reports", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#chart-risk-change")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#figure-received")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^(<5|\[c\])$"));
        var content = await page.ContentAsync();
        Assert.DoesNotContain(waiting, content, StringComparison.Ordinal);
        Assert.DoesNotContain(active, content, StringComparison.Ordinal);

        Assert.Equal(403, (await page.GotoAsync($"/api/referrals/{active}"))!.Status);
        Assert.Equal(403, (await page.GotoAsync($"/api/referrals/{active}/timeline"))!.Status);
        Assert.Equal(403, (await page.GotoAsync("/staff/dashboard"))!.Status);
        Assert.Equal(403, (await page.GotoAsync("/api/staff/triage-queue"))!.Status);
    }

    /// <summary>Three referrals: one supported and closed, one declined, one waiting for triage.</summary>
    private async Task<(string Waiting, string Active)> SeedAsync()
    {
        var hh = new LifecycleDriver(factory);
        await hh.PutPractitionerAsync(LifecycleDriver.SelbyPractitioner, LifecycleDriver.Selby, 10);
        var active = await hh.SubmitAsync();
        var view = await hh.ActivateAsync(active);
        var holder = StaffActor.Practitioner(view.PractitionerId!);
        await hh.CommandAsync(active, "reviews", holder, LifecycleDriver.Review("high", 4));
        await hh.CommandAsync(active, "close", holder, LifecycleDriver.Closure(risk: "medium"));
        var declined = await hh.SubmitAsync(hh.Form().With("referrer.type", JsonValue.Create("police")));
        await hh.CommandAsync(declined, "decline", StaffActor.Manager, new JsonObject { ["reason"] = "Outside the area", ["category"] = "criteria" });
        var waiting = await hh.SubmitAsync();
        return (waiting, active);
    }

    private async Task<IBrowserContext> SignedInAsync(IBrowser browser, string id, string role) =>
        await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = factory.ServerAddress.ToString(),
            AcceptDownloads = true,
            ExtraHTTPHeaders = new Dictionary<string, string> { ["X-Actor-Id"] = id, ["X-Actor-Role"] = role },
        });

    private static List<string> ParseCsvLine(string line)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
        return fields;
    }
}
