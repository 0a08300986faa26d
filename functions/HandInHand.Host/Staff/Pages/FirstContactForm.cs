using System.Text;
using HandInHand.Domain.Referrals;
using static HandInHand.Host.Web.Html;

namespace HandInHand.Host.Staff.Pages;

/// <summary>
/// The "record first contact" form: consent (yes or no) and the date and time of the contact,
/// the date as day, month and year. Each error sits beside its field and is tied to its controls
/// with aria-describedby; the values come back as they were typed.
/// </summary>
internal sealed class FirstContactForm(string antiforgeryField, string antiforgeryToken)
{
    private readonly StringBuilder _html = new();

    /// <summary>The id of the control an error about <paramref name="field"/> links to from the error summary.</summary>
    public static string IdOf(string field) => field switch
    {
        FirstContactInput.ConsentField => "consent-yes",
        FirstContactInput.DateField => "contactedAt-day",
        _ => field.Replace('.', '-'),
    };

    public static string ActionPath(string reference) => StaffLayout.CasePath(reference) + "/first-contact";

    public string Render(string reference, FirstContactInput input, IReadOnlyList<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(errors);
        var byField = errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.First().Message, StringComparer.Ordinal);
        _html.Append("<h2 id=\"first-contact\">Record first contact</h2>\n")
            .Append("<form method=\"post\" action=\"").Append(E(ActionPath(reference))).Append("\" novalidate>\n");
        Hidden(antiforgeryField, antiforgeryToken);
        Hidden(FirstContactInput.CommandKeyField, input.CommandKey ?? Guid.NewGuid().ToString("N"));

        // Consent: a pair of radios in a fieldset, its error inside the legend's group.
        var consentError = byField.GetValueOrDefault(FirstContactInput.ConsentField);
        _html.Append(consentError is null ? "<div class=\"field\">\n" : "<div class=\"field field-error\">\n")
            .Append("<fieldset id=\"consent\"").Append(consentError is null ? string.Empty : " aria-describedby=\"consent-error\"").Append(">\n")
            .Append("<legend>Does the young person agree to support?</legend>\n")
            .Append("<p class=\"hint\">If they do not, the case closes with that reason.</p>\n");
        Error("consent-error", consentError);
        Radio("consent-yes", "yes", "Yes, they agree", input.Consent == "yes");
        Radio("consent-no", "no", "No, they do not agree", input.Consent == "no");
        _html.Append("</fieldset>\n</div>\n");

        // The date as three boxes, as people write it; the hint gives an example.
        var dateError = byField.GetValueOrDefault(FirstContactInput.DateField);
        _html.Append(dateError is null ? "<div class=\"field\">\n" : "<div class=\"field field-error\">\n")
            .Append("<fieldset id=\"contactedAt\" aria-describedby=\"contactedAt-hint").Append(dateError is null ? string.Empty : " contactedAt-error").Append("\">\n")
            .Append("<legend>Date of first contact</legend>\n")
            .Append("<p class=\"hint\" id=\"contactedAt-hint\">For example 27 3 2026.</p>\n");
        Error("contactedAt-error", dateError);
        _html.Append("<div class=\"date-input\">\n");
        DatePart(FirstContactInput.DayField, "Day", input.Day, "day", dateError is not null);
        DatePart(FirstContactInput.MonthField, "Month", input.Month, "month", dateError is not null);
        DatePart(FirstContactInput.YearField, "Year", input.Year, "year", dateError is not null);
        _html.Append("</div>\n</fieldset>\n</div>\n");

        var timeError = byField.GetValueOrDefault(FirstContactInput.TimeField);
        _html.Append(timeError is null ? "<div class=\"field\">\n" : "<div class=\"field field-error\">\n")
            .Append("<label for=\"contactedAt-time\">Time of first contact</label>\n")
            .Append("<p class=\"hint\" id=\"contactedAt-time-hint\">On the 24-hour clock, for example 14:30.</p>\n");
        Error("contactedAt-time-error", timeError);
        _html.Append("<input type=\"text\" class=\"time\" id=\"contactedAt-time\" name=\"").Append(FirstContactInput.TimeField)
            .Append("\" value=\"").Append(E(input.Time)).Append("\" inputmode=\"numeric\" autocomplete=\"off\" aria-describedby=\"contactedAt-time-hint")
            .Append(timeError is null ? "\"" : " contactedAt-time-error\" aria-invalid=\"true\"").Append(">\n</div>\n");

        _html.Append("<button type=\"submit\">Record first contact</button>\n</form>\n");
        return _html.ToString();
    }

    private void Hidden(string name, string value) =>
        _html.Append("<input type=\"hidden\" name=\"").Append(E(name)).Append("\" value=\"").Append(E(value)).Append("\">\n");

    private void Error(string id, string? message)
    {
        if (message is not null)
        {
            _html.Append("<p class=\"error-message\" id=\"").Append(id).Append("\"><span class=\"visually-hidden\">Error: </span>").Append(E(message)).Append("</p>\n");
        }
    }

    private void Radio(string id, string value, string label, bool isChecked) =>
        _html.Append("<div class=\"option\"><input type=\"radio\" id=\"").Append(id).Append("\" name=\"").Append(FirstContactInput.ConsentField)
            .Append("\" value=\"").Append(value).Append('"').Append(isChecked ? " checked" : string.Empty)
            .Append("><label for=\"").Append(id).Append("\">").Append(E(label)).Append("</label></div>\n");

    private void DatePart(string field, string label, string? value, string cssClass, bool invalid)
    {
        var id = field.Replace('.', '-');
        _html.Append("<div class=\"").Append(cssClass).Append("\"><label for=\"").Append(id).Append("\">").Append(label).Append("</label>")
            .Append("<input type=\"text\" id=\"").Append(id).Append("\" name=\"").Append(field).Append("\" value=\"").Append(E(value))
            .Append("\" inputmode=\"numeric\" autocomplete=\"off\"").Append(invalid ? " aria-invalid=\"true\"" : string.Empty).Append("></div>\n");
    }
}
