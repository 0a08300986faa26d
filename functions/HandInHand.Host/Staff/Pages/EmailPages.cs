using System.Globalization;
using System.Text;
using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Referrals;
using HandInHand.Host.Referrals;
using HandInHand.Host.Security;
using HandInHand.Host.Web;
using HandInHand.Infrastructure.Notifications;
using HandInHand.Infrastructure.Workflow;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;
using static HandInHand.Host.Web.Html;

namespace HandInHand.Host.Staff.Pages;

/// <summary>
/// The manager's emails that did not go (refused by the provider, outcome unknown, or no address
/// to send to), each with a retry, under the API's policy and rules: an email whose outcome is
/// unknown is resent only when the manager says it did not arrive. The page shows what each email
/// was about, to whom by role, and where it stands: never an address, a body or the provider's
/// message. The email to retry travels in the posted form, not in the address.
/// </summary>
public static class EmailPages
{
    public const string ListPath = "/staff/emails";

    public const string RetryPath = "/staff/emails/retry";

    public const string ReferenceField = "reference";
    public const string MessageField = "messageId";
    public const string DidNotArriveField = "didNotArrive";

    private const string DoneQuery = "done";

    private static readonly IReadOnlyDictionary<string, string> Notices = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["sent"] = "The email was sent again.",
        ["failed"] = "The email provider refused the email again.",
        ["no-channel"] = "There is still no email address to send it to.",
        ["unknown"] = "The email is still marked as possibly sent: it was not sent again.",
        ["pending"] = "The email is being sent again.",
    };

    public static IEndpointRouteBuilder MapEmailPages(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup(ListPath).ExcludeFromDescription().RequireAuthorization(Policies.Management);
        pages.MapGet("", ShowListAsync).WithQueryParameter(DoneQuery, "sent", "The outcome of the retry just made, to say so at the top.");
        pages.MapPost("retry", RetryAsync);
        return app;
    }

    /// <summary>GET /staff/emails: every email that did not go, newest first.</summary>
    public static async Task<IResult> ShowListAsync(
        HttpContext context, IAntiforgery antiforgery, EmailDelivery delivery, TimeProvider clock, IOptions<IntakeOptions> intake, CancellationToken cancellationToken)
    {
        var query = QueryValues.Of(context.Request);
        var done = query.Code(DoneQuery, [.. Notices.Keys]);
        if (!query.IsValid)
        {
            return StaffLayout.QueryErrorPage(context, antiforgery, "Emails that did not go", query);
        }

        return await ListPageAsync(context, antiforgery, delivery, clock, intake.Value, done, null, StatusCodes.Status200OK, cancellationToken);
    }

    /// <summary>POST /staff/emails/retry: sends one email again, as the API's retry does.</summary>
    public static async Task<IResult> RetryAsync(
        HttpContext context, IAntiforgery antiforgery, EmailDelivery delivery, TimeProvider clock, IOptions<IntakeOptions> intake, CancellationToken cancellationToken)
    {
        var form = await ReferralPages.ReadFormAsync(context, 4096, cancellationToken);
        string? reference = form?[ReferenceField];
        string? messageId = form?[MessageField];
        if (form is null || !await antiforgery.IsRequestValidAsync(context))
        {
            return await ListPageAsync(context, antiforgery, delivery, clock, intake.Value, null, null, StatusCodes.Status400BadRequest, cancellationToken,
                "The page had expired. Check the email and send it again.");
        }

        var record = string.IsNullOrEmpty(reference) || !ReferenceNumber.TryParse(reference, out _) || string.IsNullOrEmpty(messageId)
            ? null
            : (await Undelivered(delivery, cancellationToken)).FirstOrDefault(r => r.Reference == reference && r.MessageId == messageId);
        if (record is null)
        {
            return await ListPageAsync(context, antiforgery, delivery, clock, intake.Value, null, null, StatusCodes.Status404NotFound, cancellationToken,
                "That email is not on the list any more: it may have been sent meanwhile. The list as it stands is below.");
        }

        // An email that may have gone is resent only when the manager says it did not arrive.
        var didNotArrive = form[DidNotArriveField] == "yes";
        if (record.Status == DeliveryStatus.Unknown && !didNotArrive)
        {
            return await ListPageAsync(context, antiforgery, delivery, clock, intake.Value, null, (record.MessageId, "Say that you checked and the email did not arrive, or leave it as it is."),
                StatusCodes.Status400BadRequest, cancellationToken);
        }

        DeliveryStatus status;
        try
        {
            status = await delivery.RetryAsync(record.Reference, record.MessageId, didNotArrive, cancellationToken);
        }
        catch (InvalidOperationException)
        {
            return await ListPageAsync(context, antiforgery, delivery, clock, intake.Value, null, null, StatusCodes.Status404NotFound, cancellationToken,
                "That email is not on the list any more. The list as it stands is below.");
        }

        var done = status switch
        {
            DeliveryStatus.Sent => "sent",
            DeliveryStatus.Failed => "failed",
            DeliveryStatus.NoChannel => "no-channel",
            DeliveryStatus.Unknown or DeliveryStatus.Sending => "unknown",
            _ => "pending",
        };
        return Results.Redirect($"{ListPath}?{DoneQuery}={done}");
    }

    private static async Task<IReadOnlyList<DeliveryRecord>> Undelivered(EmailDelivery delivery, CancellationToken cancellationToken) =>
        [.. (await delivery.ListAsync(cancellationToken: cancellationToken))
            .Where(r => r.Status is DeliveryStatus.Failed or DeliveryStatus.Unknown or DeliveryStatus.NoChannel)
            .OrderByDescending(r => r.UpdatedAt)];

    private static async Task<IResult> ListPageAsync(
        HttpContext context, IAntiforgery antiforgery, EmailDelivery delivery, TimeProvider clock, IntakeOptions intake, string? done, (string MessageId, string Message)? error,
        int status, CancellationToken cancellationToken, string? notice = null)
    {
        var records = await Undelivered(delivery, cancellationToken);
        var page = new CasePage(TimeZoneInfo.FindSystemTimeZoneById(intake.TimeZone), clock.GetUtcNow(), string.Empty, string.Empty);
        var tokens = antiforgery.GetAndStoreTokens(context);
        var main = new StringBuilder("<h1>Emails that did not go</h1>\n");
        if (error is { } e)
        {
            main.Append(StaffLayout.ErrorSummary([(FieldId(e.MessageId), e.Message)]));
        }

        notice ??= done is null ? null : Notices[done];
        if (notice is not null)
        {
            main.Append("<div class=\"notice\" role=\"status\" id=\"notice\"><p>").Append(E(notice)).Append("</p></div>\n");
        }

        main.Append("<p>These emails were refused by the email provider, may or may not have gone, or had no address to go to. An email that may have gone is sent again only when you have checked that it did not arrive. Times are UK time.</p>\n");
        if (records.Count == 0)
        {
            main.Append("<p id=\"no-emails\">Every email has gone.</p>\n");
            return StaffLayout.Page(context, antiforgery, "Emails that did not go", main.ToString(), status);
        }

        var rows = new StringBuilder();
        foreach (var r in records)
        {
            var id = FieldId(r.MessageId);
            var rowError = error is { } x && x.MessageId == r.MessageId ? x.Message : null;
            rows.Append("<tr><th scope=\"row\"><a href=\"").Append(E(StaffLayout.CasePath(r.Reference))).Append("\">").Append(E(r.Reference)).Append("</a></th>")
                .Append("<td>").Append(E(Capital(PlainWords.Of(r.Kind)))).Append("</td>")
                .Append("<td>").Append(E(Capital(PlainWords.Of(new Recipient(r.RecipientRole, r.RecipientRole == Role.Referrer || r.RecipientRole == Role.YoungPerson ? null : r.RecipientId))))).Append("</td>")
                .Append("<td>").Append(E(StatusWords(r.Status))).Append("</td>")
                .Append("<td>").Append(r.Attempts.ToString(CultureInfo.InvariantCulture)).Append("</td>")
                .Append("<td>").Append(E(page.Local(r.UpdatedAt))).Append("</td><td>")
                .Append("<form method=\"post\" action=\"").Append(RetryPath).Append("\" novalidate>\n")
                .Append("<input type=\"hidden\" name=\"").Append(E(tokens.FormFieldName)).Append("\" value=\"").Append(E(tokens.RequestToken)).Append("\">\n")
                .Append("<input type=\"hidden\" name=\"").Append(ReferenceField).Append("\" value=\"").Append(E(r.Reference)).Append("\">\n")
                .Append("<input type=\"hidden\" name=\"").Append(MessageField).Append("\" value=\"").Append(E(r.MessageId)).Append("\">\n");
            if (r.Status == DeliveryStatus.Unknown)
            {
                rows.Append(rowError is null ? "<div class=\"field\">\n" : "<div class=\"field field-error\">\n");
                if (rowError is not null)
                {
                    rows.Append("<p class=\"error-message\" id=\"").Append(id).Append("-error\"><span class=\"visually-hidden\">Error: </span>").Append(E(rowError)).Append("</p>\n");
                }

                rows.Append("<div class=\"option\"><input type=\"checkbox\" id=\"").Append(id).Append("\" name=\"").Append(DidNotArriveField).Append("\" value=\"yes\"")
                    .Append(rowError is null ? string.Empty : " aria-describedby=\"" + id + "-error\" aria-invalid=\"true\"")
                    .Append("><label for=\"").Append(id).Append("\">I checked: it did not arrive</label></div>\n</div>\n");
            }

            rows.Append("<button type=\"submit\">Send again<span class=\"visually-hidden\"> the ").Append(E(PlainWords.Of(r.Kind))).Append(" for ").Append(E(r.Reference)).Append("</span></button>\n</form></td></tr>\n");
        }

        main.Append(StaffLayout.ScrollingTable("emails-caption",
            "<table id=\"undelivered-emails\">\n<caption id=\"emails-caption\">Emails that did not go, most recent first</caption>\n"
            + "<thead><tr><th scope=\"col\">Reference</th><th scope=\"col\">Email</th><th scope=\"col\">To</th><th scope=\"col\">Where it stands</th><th scope=\"col\">Attempts</th><th scope=\"col\">Last tried</th><th scope=\"col\">Retry</th></tr></thead>\n"
            + $"<tbody>\n{rows}</tbody>\n</table>\n"));
        return StaffLayout.Page(context, antiforgery, (error is null ? string.Empty : "Error: ") + "Emails that did not go", main.ToString(), status);
    }

    private static string StatusWords(DeliveryStatus status) => status switch
    {
        DeliveryStatus.Failed => "Refused by the email provider",
        DeliveryStatus.Unknown => "May or may not have gone",
        DeliveryStatus.NoChannel => "No email address to send to",
        _ => "Not sent yet",
    };

    /// <summary>The id of an email's "did not arrive" box: its message id in letters, digits and '-' only.</summary>
    private static string FieldId(string messageId) =>
        "did-not-arrive-" + new string([.. messageId.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]);

    private static string Capital(string words) => words.Length == 0 ? words : char.ToUpperInvariant(words[0]) + words[1..];
}
