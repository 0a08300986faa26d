using System.Text;
using HandInHand.Domain.Lifecycle;
using HandInHand.Host.Reports;
using HandInHand.Host.Web;
using Microsoft.AspNetCore.Antiforgery;
using static HandInHand.Host.Web.Html;

namespace HandInHand.Host.Staff.Pages;

/// <summary>
/// The frame of every staff page: the navigation the signed-in role may use (links only to pages
/// that exist and that the role may open), who is signed in (staff id and role in words), and a
/// sign-out button (a POSTed form with the antiforgery token, so no other site can sign a member of
/// staff out). The page itself is plain HTML with no script, like the referral form.
/// </summary>
public static class StaffLayout
{
    /// <summary>The staff home: it sends each role on to its own first page.</summary>
    public const string HomePath = "/staff";

    /// <summary>The practitioner's list of their cases.</summary>
    public const string MyCasesPath = "/staff/cases";

    /// <summary>Where the sign-out button posts; the sign-in scheme in use answers it.</summary>
    public const string SignOutPath = "/account/sign-out";

    /// <summary>The address of one case's page. The reference is not personal data; nothing else goes in the URL.</summary>
    public static string CasePath(string reference) => MyCasesPath + "/" + Uri.EscapeDataString(reference);

    /// <summary>A whole staff page around <paramref name="main"/>, with the navigation of the signed-in role.</summary>
    public static IResult Page(HttpContext context, IAntiforgery antiforgery, string title, string main, int statusCode = StatusCodes.Status200OK)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(antiforgery);
        var actor = ActorHeaders.From(context.Request);
        var tokens = antiforgery.GetAndStoreTokens(context);
        var header = new StringBuilder("<header>\n<div class=\"staff-bar\">\n<p class=\"service\"><a href=\"")
            .Append(actor?.Role is Role.Manager or Role.Practitioner or Role.Panel ? HomePath : "/").Append("\">HandInHand</a></p>\n");
        var links = actor is null ? [] : Navigation(actor.Role);
        if (links.Count > 0)
        {
            header.Append("<nav class=\"staff\" aria-label=\"Staff pages\"><ul>");
            foreach (var (path, label) in links)
            {
                header.Append("<li><a href=\"").Append(E(path)).Append('"')
                    .Append(context.Request.Path.Equals(path, StringComparison.OrdinalIgnoreCase) ? " aria-current=\"page\"" : string.Empty)
                    .Append('>').Append(E(label)).Append("</a></li>");
            }

            header.Append("</ul></nav>\n");
        }

        if (actor is not null)
        {
            header.Append("<div class=\"who\"><p id=\"signed-in-as\">Signed in as ").Append(E(actor.Id)).Append(", ").Append(E(PlainWords.Of(actor.Role))).Append(".</p>")
                .Append("<form method=\"post\" action=\"").Append(SignOutPath).Append("\">")
                .Append("<input type=\"hidden\" name=\"").Append(E(tokens.FormFieldName)).Append("\" value=\"").Append(E(tokens.RequestToken)).Append("\">")
                .Append("<button type=\"submit\">Sign out</button></form></div>\n");
        }

        header.Append("</div>\n</header>\n");
        return PageWithHeader(title + " – HandInHand staff", header.ToString(), main, statusCode);
    }

    /// <summary>The staff pages a role may open, in the order they are offered.</summary>
    public static IReadOnlyList<(string Path, string Label)> Navigation(Role role) => role switch
    {
        Role.Practitioner => [(MyCasesPath, "My cases")],
        Role.Manager =>
        [
            (ReportPages.DashboardPath, "Dashboard"),
            (TriagePages.TriagePath, "Triage queue"),
            (TriagePages.WaitingListPath, "Waiting list"),
            (PractitionerPages.ListPath, "Practitioners"),
            (EmailPages.ListPath, "Emails not sent"),
            (RetentionPages.ListPath, "Retention reviews"),
            (ReportPages.ReportsPath, "Reports"),
        ],
        Role.Analyst => [(ReportPages.ReportsPath, "Reports")],
        Role.Panel => [(PanelPages.QueuePath, "Panel queue")],
        _ => [],
    };

    /// <summary>A page asked for with a bad query value (a word the page never sends): 400, with the error summary naming the parameter.</summary>
    public static IResult QueryErrorPage(HttpContext context, IAntiforgery antiforgery, string heading, QueryValues query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Page(context, antiforgery, "Error: " + heading, $"<h1>{E(heading)}</h1>\n" + ErrorSummary(query.Errors.Select(e => (e.Field, e.Message))), StatusCodes.Status400BadRequest);
    }

    /// <summary>
    /// The error summary of a form that was sent back: it takes the keyboard focus as the page loads
    /// (autofocus, so no script is needed), and links each message to its field.
    /// </summary>
    public static string ErrorSummary(IEnumerable<(string FieldId, string Message)> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var html = new StringBuilder("<div class=\"error-summary\" id=\"error-summary\" role=\"alert\" aria-labelledby=\"error-summary-title\" tabindex=\"-1\" autofocus>\n")
            .Append("<h2 id=\"error-summary-title\">There is a problem</h2>\n<ul>\n");
        foreach (var (fieldId, message) in errors)
        {
            html.Append("<li><a href=\"#").Append(E(fieldId)).Append("\">").Append(E(message)).Append("</a></li>\n");
        }

        return html.Append("</ul>\n</div>\n").ToString();
    }

    /// <summary>A data table that may be wider than a phone: it scrolls inside its own labelled, focusable container, never the page.</summary>
    public static string ScrollingTable(string captionId, string tableHtml) =>
        $"<div class=\"table-scroll\" role=\"region\" aria-labelledby=\"{E(captionId)}\" tabindex=\"0\">\n{tableHtml}</div>\n";
}
