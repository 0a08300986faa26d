using System.Globalization;
using System.Text;
using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Referrals;
using HandInHand.Host.Staff.Pages;
using static HandInHand.Host.Web.Html;

namespace HandInHand.Host.Referrals;

/// <summary>
/// The status page a referrer sees after entering the reference and access code: the status, and
/// the actions that fit the referral's step, each a POSTed form that carries the reference and code
/// in its body (never in a URL) with the antiforgery token and an idempotency key (a form sent twice,
/// by a reload or a double click, is one action). Errors stand beside their fields, and an error
/// summary that takes the focus links to each.
/// </summary>
public sealed class ReferrerStatusPage(string tokenField, string token, TimeZoneInfo timeZone)
{
    /// <summary>The withdrawal categories a referrer chooses from, in their own words.</summary>
    private static readonly (NotTakenReason Reason, string Label)[] WithdrawalCategories =
    [
        (NotTakenReason.NoLongerNeeded, "Support is no longer needed"),
        (NotTakenReason.DeclinedByYoungPerson, "The young person does not want support"),
        (NotTakenReason.Capacity, "The wait for a place is too long"),
        (NotTakenReason.Other, "Another reason"),
    ];

    /// <summary>The category a form's <paramref name="code"/> names, or null when it names none a referrer may choose.</summary>
    public static NotTakenReason? Category(string? code) =>
        WithdrawalCategories.Select(c => (NotTakenReason?)c.Reason).FirstOrDefault(r => Domain.Reports.ReportFacts.Code(r!.Value) == code);

    private string _reference = string.Empty;

    /// <summary>Renders the page; <paramref name="done"/> is the plain-words confirmation of an action just taken.</summary>
    public string Render(ReferrerView view, string accessCode, string? done = null, string? notice = null, IReadOnlyList<FieldError>? errors = null, string? reason = null, string? category = null)
    {
        ArgumentNullException.ThrowIfNull(view);
        var byField = (errors ?? []).GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.First().Message, StringComparer.Ordinal);
        var record = view.Record;
        _reference = record.Reference;
        var received = TimeZoneInfo.ConvertTime(record.ReceivedAt, timeZone);
        var html = new StringBuilder();
        if (byField.Count > 0)
        {
            html.Append(StaffLayout.ErrorSummary((errors ?? []).Select(e => (IdOf(e.Field), e.Message))));
        }

        if (done is not null)
        {
            html.Append("<div class=\"panel\" role=\"status\"><p id=\"done\">").Append(E(done)).Append("</p></div>\n");
        }

        if (notice is not null)
        {
            html.Append("<div class=\"error-summary\" role=\"alert\"><p>").Append(E(notice)).Append("</p></div>\n");
        }

        html.Append("<h1>Referral ").Append(E(record.Reference)).Append("</h1>\n<dl>\n")
            .Append("<div><dt>Status</dt><dd id=\"status\">").Append(E(StatusText(view, record.Form.Pathway))).Append("</dd></div>\n")
            .Append("<div><dt>Received</dt><dd>").Append(E(received.ToString("d MMMM yyyy 'at' HH:mm", CultureInfo.GetCultureInfo("en-GB")))).Append("</dd></div>\n")
            .Append("</dl>\n");

        if (view.CanAnswerInformationRequest)
        {
            html.Append("<h2>The service asked you for more information</h2>\n")
                .Append("<p>Give it to the service by phone or secure email, quoting the reference only, never the young person's details. Then tell us here, so the referral goes back to the service manager.</p>\n");
            Form(html, "information", accessCode, "I have given the information");
        }

        if (view.CanConfirmStillNeeded)
        {
            html.Append("<h2>Is support still needed?</h2>\n")
                .Append("<p>The referral is waiting for a place. Tell us if the young person still needs support.</p>\n");
            Form(html, "still-needed", accessCode, "Yes, support is still needed");
        }

        if (view.CanWithdraw)
        {
            html.Append("<h2>Withdraw the referral</h2>\n")
                .Append("<p>Withdraw it if the service should no longer work on it. This cannot be undone here: to refer again, send a new referral.</p>\n");
            WithdrawForm(html, accessCode, byField, reason, category);
        }

        html.Append("<p><a href=\"/referrals/status\">Check another referral</a></p>\n");
        return html.ToString();
    }

    private void Form(StringBuilder html, string action, string accessCode, string button)
    {
        Open(html, action, accessCode);
        html.Append("<button type=\"submit\">").Append(E(button)).Append("</button>\n</form>\n");
    }

    private void WithdrawForm(StringBuilder html, string accessCode, Dictionary<string, string> errors, string? reason, string? category)
    {
        Open(html, "withdraw", accessCode);
        html.Append(errors.ContainsKey("reason") ? "<div class=\"field field-error\">\n" : "<div class=\"field\">\n")
            .Append("<label for=\"reason\">Why are you withdrawing it?</label>\n")
            .Append("<p class=\"hint\" id=\"reason-hint\">Say why in a sentence or two. Do not include the young person's details.</p>\n");
        Error(html, "reason", errors);
        html.Append("<textarea id=\"reason\" name=\"reason\" maxlength=\"2000\" aria-describedby=\"reason-hint").Append(errors.ContainsKey("reason") ? " reason-error\" aria-invalid=\"true\"" : "\"").Append('>')
            .Append(E(reason)).Append("</textarea>\n</div>\n");

        html.Append(errors.ContainsKey("category") ? "<div class=\"field field-error\">\n" : "<div class=\"field\">\n")
            .Append("<fieldset").Append(errors.ContainsKey("category") ? " aria-describedby=\"category-error\"" : string.Empty).Append(">\n<legend>Which of these fits best?</legend>\n");
        Error(html, "category", errors);
        foreach (var (value, label) in WithdrawalCategories)
        {
            var code = Domain.Reports.ReportFacts.Code(value);
            html.Append("<div class=\"choice\"><input type=\"radio\" id=\"category-").Append(code).Append("\" name=\"category\" value=\"").Append(code).Append('"')
                .Append(code == category ? " checked" : string.Empty).Append("><label for=\"category-").Append(code).Append("\">").Append(E(label)).Append("</label></div>\n");
        }

        html.Append("</fieldset>\n</div>\n<button type=\"submit\">Withdraw the referral</button>\n</form>\n");
    }

    private void Open(StringBuilder html, string action, string accessCode) =>
        html.Append("<form method=\"post\" action=\"/referrals/status/").Append(action).Append("\">\n")
            .Append("<input type=\"hidden\" name=\"").Append(E(tokenField)).Append("\" value=\"").Append(E(token)).Append("\">\n")
            .Append("<input type=\"hidden\" name=\"reference\" value=\"").Append(E(_reference)).Append("\">\n")
            .Append("<input type=\"hidden\" name=\"accessCode\" value=\"").Append(E(accessCode)).Append("\">\n")
            .Append("<input type=\"hidden\" name=\"").Append(ReferralPages.IdempotencyField).Append("\" value=\"").Append(Guid.NewGuid().ToString("N")).Append("\">\n");

    /// <summary>The control an error about <paramref name="field"/> links to: the first category's radio for the category.</summary>
    private static string IdOf(string field) => field == "category"
        ? "category-" + Domain.Reports.ReportFacts.Code(WithdrawalCategories[0].Reason)
        : field;

    private static void Error(StringBuilder html, string field, Dictionary<string, string> errors)
    {
        if (errors.TryGetValue(field, out var message))
        {
            html.Append("<p class=\"error-message\" id=\"").Append(field).Append("-error\"><span class=\"visually-hidden\">Error: </span>").Append(E(message)).Append("</p>\n");
        }
    }

    private static string StatusText(ReferrerView view, ServicePathway pathway) => view.Stage switch
    {
        // On the Trusted Relationships pathway a panel, not the service manager, decides (PRODUCT.md §6).
        Stage.AwaitingTriage when pathway == ServicePathway.TrustedRelationships => "Received: waiting for the Trusted Relationships panel to review it",
        Stage.AwaitingTriage => "Received: waiting for the service manager to review it",
        Stage.AwaitingInformation => "More information needed: the service asked you for more information",
        Stage.AwaitingAllocation => "Accepted: a practitioner is being found",
        Stage.WaitingList => "Accepted: waiting for a place",
        Stage.Allocated or Stage.Active => "Allocated: a practitioner is working with the young person",
        Stage.Closed => "Closed",
        Stage.Declined => "Declined",
        Stage.Withdrawn => "Withdrawn",
        _ => view.Record.Status.ToString(),
    };
}
