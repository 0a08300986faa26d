using System.Globalization;
using System.Security.Claims;
using System.Text;
using HandInHand.Domain.Reports;
using HandInHand.Host.Security;
using HandInHand.Host.Web;
using HandInHand.Infrastructure.Audit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace HandInHand.Host.Reports;

/// <summary>
/// The reports of PRODUCT.md §5 for any range and service, as JSON and as a CSV download. They
/// read the daily totals, never a referral. A manager sees exact counts; an analyst sees small
/// numbers suppressed, and every CSV export is suppressed and written to the audit trail.
/// </summary>
public static class ReportsApi
{
    /// <summary>The audit record that every export is entered in.</summary>
    public const string ExportAuditRecord = "report-exports";

    public static RouteGroupBuilder MapReportsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("api/reports").WithTags("Reports").RequireAuthorization(Policies.Reports);
        group.MapGet("", GetReportsAsync).WithReportRange();
        group.MapGet("export.csv", ExportCsvAsync).WithReportRange()
            .WithQueryParameter("report", "sources", "Only the report with this id (for example sources).");
        return group;
    }

    /// <summary>GET /api/reports?from=YYYY-MM-DD&amp;to=YYYY-MM-DD&amp;service=all|hand-in-hand|trusted-relationships</summary>
    public static async Task<Results<Ok<ReportSet>, ValidationProblem>> GetReportsAsync(HttpRequest request, ReportQuery reports, TimeProvider clock, IOptions<ReportOptions> options, CancellationToken cancellationToken)
    {
        var (range, errors) = ReportRange.Parse(QueryValues.Of(request), Today(clock), options.Value.MaxRangeDays);
        if (range is null)
        {
            return Problems.Fields([.. errors]);
        }

        return TypedResults.Ok(await reports.RunAsync(range, suppress: !SeesExactCounts(request.HttpContext.User), cancellationToken));
    }

    /// <summary>GET /api/reports/export.csv?from&amp;to&amp;service[&amp;report=id]: every figure as CSV, suppressed, audited.</summary>
    public static async Task<Results<FileContentHttpResult, ValidationProblem>> ExportCsvAsync(
        HttpRequest request, ReportQuery reports, AuditTrail audit, TimeProvider clock, IOptions<ReportOptions> options, CancellationToken cancellationToken)
    {
        var query = QueryValues.Of(request);
        var only = query.Identifier("report", 40, "Name a report by its id, for example sources.");
        var (range, errors) = ReportRange.Parse(query, Today(clock), options.Value.MaxRangeDays);

        if (range is null || errors.Count > 0)
        {
            return Problems.Fields([.. errors]);
        }

        var set = await reports.RunAsync(range, suppress: true, cancellationToken);
        if (only is not null && !ReportCsv.ReportIds(set).Contains(only, StringComparer.Ordinal))
        {
            return Problems.Fields(new Domain.Referrals.FieldError("report", "Name a report by its id, for example sources."));
        }

        var actor = ActorHeaders.From(request.HttpContext.User);
        await audit.AppendAsync(new AuditEvent(ExportAuditRecord, actor?.Id ?? "unknown", actor?.Role.ToString() ?? "none",
            $"GET /api/reports/export.csv {range.QueryString}{(only is null ? string.Empty : "&report=" + only)}", "allowed", clock.GetUtcNow()), cancellationToken);
        var name = string.Create(CultureInfo.InvariantCulture, $"handinhand-reports-{range.Service}-{range.From:yyyy-MM-dd}-to-{range.To:yyyy-MM-dd}.csv");
        return TypedResults.File(Encoding.UTF8.GetBytes(ReportCsv.Write(set, only)), "text/csv; charset=utf-8", name);
    }

    /// <summary>Declares the range parameters that <see cref="ReportRange.Parse"/> reads.</summary>
    internal static RouteHandlerBuilder WithReportRange(this RouteHandlerBuilder builder) => builder
        .WithQueryParameter("from", "2026-01-01", "The first day (YYYY-MM-DD, UTC); default a year before to.")
        .WithQueryParameter("to", "2026-11-23", "The last day (YYYY-MM-DD, UTC); default today.")
        .WithQueryParameter("service", "hand-in-hand", "all, hand-in-hand or trusted-relationships; default all.");

    /// <summary>Only a manager sees exact counts, and only on screen.</summary>
    internal static bool SeesExactCounts(ClaimsPrincipal user) => user.IsInRole(RoleNames.Manager);

    internal static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
}
