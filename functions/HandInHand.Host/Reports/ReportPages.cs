using System.Globalization;
using System.Text;
using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Reports;
using HandInHand.Host.Security;
using HandInHand.Host.Staff;
using HandInHand.Host.Staff.Pages;
using HandInHand.Host.Web;
using HandInHand.Infrastructure.Workflow;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;
using static HandInHand.Host.Web.Html;

namespace HandInHand.Host.Reports;

/// <summary>
/// The manager's dashboard (what is due and overdue, the triage queue, the waiting list,
/// caseloads) and the reports page, with the reports as charts, that analysts may also open.
/// Server-rendered; the charts are SVG drawn here. Analysts reach only the reports page, and see
/// small numbers suppressed there.
/// </summary>
public static class ReportPages
{
    public const string DashboardPath = "/staff/dashboard";
    public const string ReportsPath = "/reports";

    private static readonly CultureInfo UkCulture = CultureInfo.GetCultureInfo("en-GB");

    public static IEndpointRouteBuilder MapReportPages(this IEndpointRouteBuilder app)
    {
        app.MapGet(DashboardPath, ShowDashboardAsync).ExcludeFromDescription().RequireAuthorization(Policies.Management);
        app.MapGet(ReportsPath, ShowReportsAsync).ExcludeFromDescription().RequireAuthorization(Policies.Reports).WithReportRange();
        return app;
    }

    /// <summary>GET /reports?from&amp;to&amp;service: the range form, the CSV link and every report as a chart.</summary>
    public static async Task<IResult> ShowReportsAsync(HttpContext context, ReportQuery reports, TimeProvider clock, IOptions<ReportOptions> options, CancellationToken cancellationToken)
    {
        var (range, errors) = ReportRange.Parse(QueryValues.Of(context.Request), ReportsApi.Today(clock), options.Value.MaxRangeDays);
        if (range is null)
        {
            return RangeProblem("Reports", errors, ReportsApi.Today(clock));
        }

        var exact = ReportsApi.SeesExactCounts(context.User);
        var set = await reports.RunAsync(range, suppress: !exact, cancellationToken);
        var main = new StringBuilder("<h1>Reports</h1>\n")
            .Append(RangeForm(ReportsPath, range))
            .Append(Notice(exact, reports.Threshold))
            .Append(Charts(set));
        return Page("Reports", main.ToString());
    }

    /// <summary>A 400 page for a range that does not fit: each error linked to its field of the reports form.</summary>
    private static IResult RangeProblem(string heading, IReadOnlyList<Domain.Referrals.FieldError> errors, DateOnly today)
    {
        var summary = new StringBuilder("<div class=\"error-summary\" role=\"alert\"><h2>There is a problem</h2><ul>");
        foreach (var e in errors)
        {
            summary.Append("<li><a href=\"#").Append(E(e.Field)).Append("\">").Append(E(e.Message)).Append("</a></li>");
        }

        summary.Append("</ul></div>\n");
        var fallback = new ReportRange(today.AddYears(-1).AddDays(1), today, ReportRange.AllServices);
        return Page("Error: " + heading, "<h1>" + E(heading) + "</h1>\n" + summary + RangeForm(ReportsPath, fallback), StatusCodes.Status400BadRequest);
    }

    /// <summary>
    /// GET /staff/dashboard: the manager's day (what is overdue or due today, the triage queue, the
    /// waiting list, caseloads against capacity), and a link to the reports, which are a page of
    /// their own (in the navigation too): the day's work is what a manager opens this page for.
    /// </summary>
    public static async Task<IResult> ShowDashboardAsync(
        HttpContext context, IAntiforgery antiforgery, CaseBoard board, ReferralWorkflowStore store, WaitingListIndex waitingList, PractitionerDirectory practitioners,
        TimeProvider clock, IOptions<Referrals.IntakeOptions> intake, CancellationToken cancellationToken)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(intake.Value.TimeZone);
        string LocalTime(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, zone).ToString("d MMM yyyy HH:mm", UkCulture);
        var now = clock.GetUtcNow();
        // The four parts read different rows: asked for at once, the page waits for the slowest
        // part rather than for the sum of them (where the store serves requests side by side).
        var dueReading = StaffApi.ListDueAsync(board, clock, null, cancellationToken);
        var queueReading = StaffApi.GetTriageQueueAsync(context.Request, board, cancellationToken);
        var waitingReading = StaffApi.GetWaitingListAsync(context.Request, waitingList, board, store, clock, cancellationToken);
        var loadsReading = practitioners.ListWithCaseloadsAsync(cancellationToken);
        await Task.WhenAll(dueReading, queueReading, waitingReading, loadsReading);
        var due = await dueReading;
        var queue = (await queueReading).Value!;
        var waiting = (await waitingReading).Value!;
        var loads = await loadsReading;

        var main = new StringBuilder("<h1>Dashboard</h1>\n")
            .Append(CultureInfo.InvariantCulture, $"<p>As at {E(LocalTime(now))}. The figures and charts of the last twelve months, or of any range, are on the <a href=\"{ReportsPath}\">reports page</a>.</p>\n");

        var overdue = due.Where(d => d.Overdue).ToList();
        var dueToday = due.Where(d => !d.Overdue).ToList();
        main.Append("<h2 id=\"overdue\">Overdue</h2>\n").Append(DueTable("overdue-table", overdue, "Nothing is overdue.", LocalTime));
        main.Append("<h2 id=\"due-today\">Due today</h2>\n").Append(DueTable("due-today-table", dueToday, "Nothing else is due today.", LocalTime));

        main.Append("<h2 id=\"triage-queue\">Triage queue</h2>\n");
        main.Append(Table("triage-table", "Referrals waiting for triage, oldest first", ["Reference", "Step", "Risk", "Region", "Received", "Triage due"],
            queue.Select(q => new[] { q.Reference, PlainWords.Of(Enum.Parse<Stage>(q.Stage)), q.RiskLevel, q.Region, LocalTime(q.ReceivedAt), q.TriageDueAt is { } t ? LocalTime(t) : "—" }), "No referral is waiting for triage.", linkReferences: true));

        main.Append("<h2 id=\"waiting-list\">Waiting list</h2>\n");
        main.Append(Table("waiting-table", "Referrals waiting for a place, in the order places will be offered", ["Reference", "Region", "Risk", "Waiting since", "Time waited"],
            waiting.Select(w => new[] { w.Reference, w.Region, w.RiskLevel, LocalTime(w.JoinedAt), Days(w.Waited) }), "Nobody is waiting.", linkReferences: true));

        main.Append("<h2 id=\"caseloads\">Caseloads</h2>\n");
        main.Append(Table("caseload-table", "Each practitioner's caseload against capacity", ["Practitioner", "Regions", "Cases held", "Capacity", "Free places"],
            loads.Select(c => new[] { c.Practitioner.DisplayName, string.Join(", ", c.Practitioner.Regions), Count(c.Held), Count(c.Practitioner.Capacity), Count(Math.Max(0, c.Practitioner.Capacity - c.Held)) }), "No practitioners are set up."));

        return StaffLayout.Page(context, antiforgery, "Dashboard", main.ToString());
    }

    /// <summary>Every report as a chart or a table.</summary>
    internal static string Charts(ReportSet set)
    {
        var html = new StringBuilder();
        html.Append("<dl class=\"figures\">")
            .Append("<div><dt>Referrals received</dt><dd id=\"figure-received\">").Append(E(set.Received.Display)).Append("</dd></div>")
            .Append("<div><dt>Young people worked with</dt><dd id=\"figure-worked-with\">").Append(E(set.WorkedWith.Display)).Append("</dd></div>")
            .Append("<div><dt>Referrals not taken</dt><dd id=\"figure-not-taken\">").Append(E(set.NotTaken.Total.Display)).Append("</dd></div>")
            .Append("<div><dt>First contact within 24 hours</dt><dd id=\"figure-first-contact\">").Append(E(Share(set.FirstContactWithin24Hours, "within-24h"))).Append("</dd></div>")
            .Append("<div><dt>My Wheel improved overall</dt><dd id=\"figure-wheel\">").Append(E(Share(set.WheelOverall, "improved"))).Append("</dd></div>")
            .Append("<div><dt>Risk reduced at closure</dt><dd id=\"figure-risk\">").Append(E(Share(set.RiskChange, "reduced"))).Append("</dd></div>")
            .Append("</dl>\n");

        html.Append("<h2>Referrals</h2>\n");
        html.Append(BarsOf(set.Sources, "Source of referral"));
        html.Append(BarsOf(set.NotTaken, "Reason"));
        html.Append("<h2>Demographics</h2>\n");
        html.Append(BarsOf(set.Gender, "Gender"));
        html.Append(BarsOf(set.Ethnicity, "Ethnic group"));
        html.Append(BarsOf(set.AgeBands, "Age band"));

        html.Append("<h2>First contact</h2>\n");
        html.Append(SvgCharts.Columns("chart-first-contact", set.FirstContact.Title, "Time from referral to first contact", "Referrals",
            [.. set.FirstContact.Categories.Select(c => new Bar(c.Label, c.Count.Value, c.Count.Display))]));

        html.Append("<h2>Outcomes</h2>\n");
        html.Append(BarsOf(set.RiskChange, "Change in risk level"));
        html.Append(SvgCharts.PairedBars("chart-wheel", "My Wheel mean scores per domain, first and latest", "Domain", "Mean score (1 to 10)", "First", "Latest",
            [.. set.WheelDomains.Select(d => (d.Label, d.MeanBefore, d.MeanAfter))], 10));
        html.Append(Table("wheel-improved-table", "Share of young people whose My Wheel score improved (of those who could improve)", ["Domain", "Improved", "Could improve", "Share improved"],
            new[] { new[] { "Overall", Cell(set.WheelOverall, "improved"), set.WheelOverall.Total.Display, Share(set.WheelOverall, "improved") } }
                .Concat(set.WheelDomains.Select(d => new[] { d.Label, Cell(d.Improvement, "improved"), d.Improvement.Total.Display, Share(d.Improvement, "improved") })), "No young person has two My Wheel assessments in this range."));

        html.Append("<h2>Waiting list</h2>\n");
        html.Append(SvgCharts.Line("chart-waiting", "Waiting list size at the end of each day", "Date", "Referrals waiting",
            [.. set.WaitingListSize.Select(p => new Bar(p.Date.ToString("d MMM yyyy", UkCulture), p.Size.Value, p.Size.Display))]));
        html.Append(BarsOf(set.TimeWaited, "Time waited"));
        html.Append("<p>Mean time waited: <span id=\"figure-mean-waited\">").Append(set.MeanDaysWaited is { } m ? E(m.ToString("0.0", CultureInfo.InvariantCulture)) + " days" : "not shown").Append("</span></p>\n");

        html.Append("<h2>Survey and partner feedback</h2>\n");
        html.Append(Table("survey-table", "Young people's survey answers", ["Question", "Yes", "Not sure", "No", "Respondents", "Share yes"],
            set.Survey.Select(AnswerRow), "No survey answers in this range."));
        html.Append(Table("partner-table", "Partner feedback", ["Question", "Yes", "Not sure", "No", "Respondents", "Share yes"],
            set.PartnerFeedback.Select(AnswerRow), "No partner feedback in this range."));
        return html.ToString();
    }

    private static string[] AnswerRow(Breakdown b) =>
        [b.Title[(b.Title.IndexOf(':', StringComparison.Ordinal) + 2)..], Cell(b, "yes"), Cell(b, "not-sure"), Cell(b, "no"), b.Total.Display, Share(b, "yes")];

    private static string BarsOf(Breakdown b, string categoryAxis) =>
        SvgCharts.HorizontalBars("chart-" + b.Id, b.Title, categoryAxis, "Number of referrals",
            [.. b.Categories.Select(c => new Bar(c.Label, c.Count.Value, c.Count.Display + (c.Percent is { } p ? $" ({p.ToString("0.0", CultureInfo.InvariantCulture)}%)" : string.Empty)))]);

    private static string Cell(Breakdown b, string code) => b.Categories.FirstOrDefault(c => c.Code == code)?.Count.Display ?? "0";

    private static string Share(Breakdown b, string code) =>
        b.Categories.FirstOrDefault(c => c.Code == code)?.Percent is { } p ? p.ToString("0.0", CultureInfo.InvariantCulture) + "%" : "not shown";

    private static string Notice(bool exact, int threshold) => exact
        ? "<p>You see exact counts. Exports and analysts' views suppress counts below " + threshold.ToString(CultureInfo.InvariantCulture) + ".</p>\n"
        : $"<p>Counts of fewer than {threshold.ToString(CultureInfo.InvariantCulture)} people show as &lt;{threshold.ToString(CultureInfo.InvariantCulture)}, and figures from which they could be worked out show as {ReportBook.WithheldDisplay}.</p>\n";

    private static string RangeForm(string action, ReportRange range)
    {
        string Selected(string value) => range.Service == value ? " selected" : string.Empty;
        return $"""
            <form method="get" action="{action}" class="range">
            <label for="from">From</label>
            <input type="date" id="from" name="from" value="{range.From:yyyy-MM-dd}">
            <label for="to">To</label>
            <input type="date" id="to" name="to" value="{range.To:yyyy-MM-dd}">
            <label for="service">Service</label>
            <select id="service" name="service">
            <option value="all"{Selected("all")}>Both services</option>
            <option value="hand-in-hand"{Selected("hand-in-hand")}>Hand in Hand</option>
            <option value="trusted-relationships"{Selected("trusted-relationships")}>Trusted Relationships</option>
            </select>
            <button type="submit">Show reports</button>
            </form>
            <p><a id="csv-link" href="/api/reports/export.csv?{E(range.QueryString)}" download>Download these reports as CSV</a> (small numbers suppressed)</p>

            """;
    }

    private static string DueTable(string id, IReadOnlyList<DueItem> items, string empty, Func<DateTimeOffset, string> local) =>
        Table(id, "Deadlines", ["Reference", "Deadline", "Due", "Practitioner"],
            items.Select(d => new[] { d.Reference, DeadlineName(d.Deadline), local(d.DueAt), d.PractitionerId ?? "Not allocated" }), empty, linkReferences: true);

    private static string DeadlineName(string kind) => Enum.TryParse<TimerKind>(kind, out var timer) ? PlainWords.Of(timer) : kind;

    /// <summary>A table whose first column heads each row; with <paramref name="linkReferences"/> that column holds references, each a link to its case page.</summary>
    private static string Table(string id, string caption, IReadOnlyList<string> headers, IEnumerable<string[]> rows, string empty, bool linkReferences = false)
    {
        var list = rows.ToList();
        if (list.Count == 0)
        {
            return $"<p id=\"{E(id)}\">{E(empty)}</p>\n";
        }

        var html = new StringBuilder($"<table id=\"{E(id)}\">\n<caption id=\"{E(id)}-caption\">{E(caption)}</caption>\n<thead><tr>");
        foreach (var header in headers)
        {
            html.Append("<th scope=\"col\">").Append(E(header)).Append("</th>");
        }

        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in list)
        {
            html.Append("<tr><th scope=\"row\">")
                .Append(linkReferences ? $"<a href=\"{E(StaffLayout.CasePath(row[0]))}\">{E(row[0])}</a>" : E(row[0])).Append("</th>");
            foreach (var cell in row.Skip(1))
            {
                html.Append("<td>").Append(E(cell)).Append("</td>");
            }

            html.Append("</tr>\n");
        }

        // Wider than a phone: the table scrolls inside its own container, never the page.
        return StaffLayout.ScrollingTable(id + "-caption", html.Append("</tbody>\n</table>\n").ToString());
    }

    private static string Days(TimeSpan waited) => ((int)waited.TotalDays).ToString(CultureInfo.InvariantCulture) + " days";

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);
}
