using System.Text;
using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Referrals;
using static HandInHand.Host.Web.Html;

namespace HandInHand.Host.Staff.Pages;

/// <summary>
/// The case holder's forms after first contact, each shown only at a step where it fits: a session
/// (its day, kind and a short note), a review
/// (My Wheel, the Traffic Light Tracker, the risk now), the safe contact channel, the young
/// person's opt-out of the survey, and closing the case. Each error sits beside its field and is
/// tied to it with aria-describedby; the values come back as they were typed.
/// </summary>
internal sealed class PractitionerForms(string antiforgeryField, string antiforgeryToken, IReadOnlyList<string> domains)
{
    public const string SessionAction = "session";
    public const string ReviewAction = "review";
    public const string ContactChannelAction = "contact-channel";
    public const string SurveyOptOutAction = "survey-opt-out";
    public const string CloseAction = "close";

    private readonly StringBuilder _html = new();

    /// <summary>The forms are for the case holder, and for the manager, whom the decider lets take these steps too.</summary>
    public static bool AreFor(Actor? actor, ReferralState state) =>
        actor is not null && ((actor.Role == Role.Practitioner && actor.Id == state.PractitionerId) || actor.Role == Role.Manager);

    public static bool ReviewFits(ReferralState state) => state.Stage == Stage.Active;

    public static bool SessionFits(ReferralState state) => state.Stage == Stage.Active;

    public static bool CloseFits(ReferralState state) => state.Stage is Stage.Allocated or Stage.Active;

    public static bool ContactChannelFits(ReferralState state) => state.Stage is Stage.Allocated or Stage.Active or Stage.Closed && state.ErasedAt is null;

    /// <summary>The opt-out matters while a survey may yet be sent or reminded of: from allocation on, until the young person opted out.</summary>
    public static bool SurveyOptOutFits(ReferralState state) => state.Stage is Stage.Allocated or Stage.Active or Stage.Closed && state.ErasedAt is null && !state.SurveyOptedOut;

    public static string PathOf(string reference, string action) => StaffLayout.CasePath(reference) + "/" + action;

    /// <summary>The id of the control an error about <paramref name="field"/> links to from the error summary.</summary>
    public string IdOf(string field) => field switch
    {
        SessionInput.DateField => IdOfField(SessionInput.DayField),
        SessionInput.KindField => "kind-face-to-face",
        SessionInput.NoteField => "session-note",
        ReviewInput.MyWheelField => IdOfField(ReviewInput.MyWheelPrefix + domains[0]),
        ReviewInput.TrafficLightsField => IdOfField(ReviewInput.IndicatorField(0)),
        ReviewInput.RiskField or "riskLevel" => "review-riskLevel-high",
        CloseInput.FinalMyWheelField => IdOfField(CloseInput.FinalMyWheelPrefix + domains[0]),
        CloseInput.RiskField => "close-riskLevel-high",
        "reason" => IdOfField(CloseInput.ReasonField),
        ContactChannelInput.ChannelField => "channel-email",
        ContactChannelInput.MarkedSafeField => "markedSafe-yes",
        _ => IdOfField(field),
    };

    public string RenderSession(string reference, SessionInput input, IReadOnlyList<FieldError> errors)
    {
        var byField = ByField(errors);
        _html.Append("<h2 id=\"session\">Record a session</h2>\n");
        Open(reference, SessionAction, input.CommandKey);

        // The date as three boxes, as people write it; the hint gives an example.
        var dateError = byField.GetValueOrDefault(SessionInput.DateField);
        FieldStart(dateError);
        _html.Append("<fieldset id=\"heldOn\" aria-describedby=\"heldOn-hint").Append(dateError is null ? string.Empty : " heldOn-error").Append("\">\n")
            .Append("<legend>Date of the session</legend>\n")
            .Append("<p class=\"hint\" id=\"heldOn-hint\">For example 27 3 2026.</p>\n");
        Error("heldOn-error", dateError);
        _html.Append("<div class=\"date-input\">\n");
        DatePart(SessionInput.DayField, "Day", input.Day, "day", dateError is not null);
        DatePart(SessionInput.MonthField, "Month", input.Month, "month", dateError is not null);
        DatePart(SessionInput.YearField, "Year", input.Year, "year", dateError is not null);
        _html.Append("</div>\n</fieldset>\n</div>\n");

        Radios("kind", SessionInput.KindField, "How was it held?", input.Kind, SessionInput.Kinds, byField.GetValueOrDefault(SessionInput.KindField));
        var noteError = byField.GetValueOrDefault(SessionInput.NoteField);
        FieldStart(noteError);
        _html.Append("<label for=\"session-note\">A short note</label>\n")
            .Append("<p class=\"hint\" id=\"session-note-hint\">What happened, in up to ").Append(ReferralDecider.SessionNoteMaxLength).Append(" characters.</p>\n");
        Error("session-note-error", noteError);
        _html.Append("<textarea id=\"session-note\" name=\"").Append(SessionInput.NoteField).Append("\" rows=\"3\" aria-describedby=\"session-note-hint")
            .Append(noteError is null ? "\"" : " session-note-error\" aria-invalid=\"true\"").Append('>').Append(E(input.Note)).Append("</textarea>\n</div>\n");
        return Close("Record the session");
    }

    public string RenderReview(string reference, ReviewInput input, IReadOnlyList<FieldError> errors)
    {
        var byField = ByField(errors);
        _html.Append("<h2 id=\"review\">Record a review</h2>\n");
        Open(reference, ReviewAction, input.CommandKey);
        Wheel("review-wheel", "My Wheel: the young person's scores", ReviewInput.MyWheelPrefix, ReviewInput.MyWheelField, input.MyWheel, byField,
            "Each domain from 1 (worst) to 10 (best), as the young person scores it.");

        // The Traffic Light Tracker: each row an indicator and its rating; a row left empty is not recorded.
        var lightsError = byField.GetValueOrDefault(ReviewInput.TrafficLightsField);
        _html.Append("<fieldset id=\"trafficLights\" aria-describedby=\"trafficLights-hint").Append(lightsError is null ? string.Empty : " trafficLights-error").Append("\">\n")
            .Append("<legend>Traffic Light Tracker</legend>\n")
            .Append("<p class=\"hint\" id=\"trafficLights-hint\">Name each risk indicator you rate, for example \"missing episodes\", and rate it red, amber or green. Leave a row empty to skip it.</p>\n");
        Error("trafficLights-error", lightsError);
        for (var i = 0; i < input.TrafficLights.Count; i++)
        {
            var (indicator, rating) = input.TrafficLights[i];
            var number = (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            TextBox(ReviewInput.IndicatorField(i), $"Indicator {number}", indicator, byField.GetValueOrDefault(ReviewInput.IndicatorField(i)));
            Select(ReviewInput.RatingField(i), $"Rating of indicator {number}", rating, [(string.Empty, "Not rated"), ("green", "Green"), ("amber", "Amber"), ("red", "Red")],
                byField.GetValueOrDefault(ReviewInput.RatingField(i)));
        }

        _html.Append("</fieldset>\n");
        Radios("review-riskLevel", ReviewInput.RiskField, "Risk level now", input.RiskLevel, RiskLevels.Choices, byField.GetValueOrDefault(ReviewInput.RiskField));
        return Close("Record the review");
    }

    public string RenderContactChannel(string reference, ContactChannelInput input, IReadOnlyList<FieldError> errors)
    {
        var byField = ByField(errors);
        _html.Append("<h2 id=\"contact-channel\">Safe contact channel</h2>\n")
            .Append("<p>How the young person can be reached, for example for the survey at the end of support. The address is kept apart from the case history.</p>\n");
        Open(reference, ContactChannelAction, input.CommandKey);
        Radios("channel", ContactChannelInput.ChannelField, "Channel", input.Channel, [("email", "Email"), ("sms", "Text message")], byField.GetValueOrDefault(ContactChannelInput.ChannelField));
        TextBox(ContactChannelInput.AddressField, "Email address or mobile number", input.Address, byField.GetValueOrDefault(ContactChannelInput.AddressField), autocomplete: "off");
        Radios("markedSafe", ContactChannelInput.MarkedSafeField, "Did the young person agree that this channel is safe to use?", input.MarkedSafe,
            [("yes", "Yes, it is safe"), ("no", "No, or not asked")], byField.GetValueOrDefault(ContactChannelInput.MarkedSafeField));
        return Close("Save the contact channel");
    }

    public string RenderSurveyOptOut(string reference)
    {
        _html.Append("<h2 id=\"survey-opt-out\">Survey</h2>\n")
            .Append("<p>If the young person does not want to be asked for the survey at the end of support, record it here. They will not be sent it or reminded of it.</p>\n");
        Open(reference, SurveyOptOutAction, null);
        return Close("Record that they do not want the survey");
    }

    public string RenderClose(string reference, ReferralState state, CloseInput input, IReadOnlyList<FieldError> errors)
    {
        var byField = ByField(errors);
        _html.Append("<h2 id=\"close\">Close the case</h2>\n");
        Open(reference, CloseAction, input.CommandKey);
        var reasonError = byField.GetValueOrDefault(CloseInput.ReasonField);
        var id = IdOfField(CloseInput.ReasonField);
        FieldStart(reasonError);
        _html.Append("<label for=\"").Append(id).Append("\">Reason for closing</label>\n");
        Error(id + "-error", reasonError);
        _html.Append("<textarea id=\"").Append(id).Append("\" name=\"").Append(CloseInput.ReasonField).Append("\" rows=\"4\"")
            .Append(reasonError is null ? string.Empty : $" aria-describedby=\"{id}-error\" aria-invalid=\"true\"").Append('>').Append(E(input.Reason)).Append("</textarea>\n</div>\n");
        Wheel("close-wheel", "Final My Wheel: the young person's scores", CloseInput.FinalMyWheelPrefix, CloseInput.FinalMyWheelField, input.FinalMyWheel, byField,
            state.Stage == Stage.Active
                ? "Each domain from 1 (worst) to 10 (best), as the young person scores it at the end of support."
                : "Support has not started: leave these empty if the young person gave no scores.");
        Radios("close-riskLevel", CloseInput.RiskField, "Risk level at closure", input.RiskLevel, RiskLevels.Choices, byField.GetValueOrDefault(CloseInput.RiskField));
        return Close("Close the case");
    }

    private static Dictionary<string, string> ByField(IReadOnlyList<FieldError> errors) =>
        errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.First().Message, StringComparer.Ordinal);

    private static string IdOfField(string field) => field.Replace('.', '-');

    private void Open(string reference, string action, string? commandKey)
    {
        _html.Append("<form method=\"post\" action=\"").Append(E(PathOf(reference, action))).Append("\" novalidate>\n");
        Hidden(antiforgeryField, antiforgeryToken);
        Hidden(FirstContactInput.CommandKeyField, commandKey ?? Guid.NewGuid().ToString("N"));
    }

    private string Close(string button)
    {
        _html.Append("<button type=\"submit\">").Append(E(button)).Append("</button>\n</form>\n");
        return _html.ToString();
    }

    private void Wheel(string id, string legend, string prefix, string field, IReadOnlyDictionary<string, string?> typed, Dictionary<string, string> byField, string hint)
    {
        var error = byField.GetValueOrDefault(field);
        _html.Append("<fieldset id=\"").Append(id).Append("\" aria-describedby=\"").Append(id).Append("-hint").Append(error is null ? string.Empty : $" {id}-error").Append("\">\n")
            .Append("<legend>").Append(E(legend)).Append("</legend>\n")
            .Append("<p class=\"hint\" id=\"").Append(id).Append("-hint\">").Append(E(hint)).Append("</p>\n");
        Error(id + "-error", error);
        foreach (var (domain, value) in typed)
        {
            TextBox(prefix + domain, Domain.Reports.ReportBook.DomainLabel(domain), value, byField.GetValueOrDefault(prefix + domain), css: "score", numeric: true);
        }

        _html.Append("</fieldset>\n");
    }

    private void TextBox(string field, string label, string? value, string? error, string? css = null, bool numeric = false, string autocomplete = "off")
    {
        var id = IdOfField(field);
        FieldStart(error);
        _html.Append("<label for=\"").Append(id).Append("\">").Append(E(label)).Append("</label>\n");
        Error(id + "-error", error);
        _html.Append("<input type=\"text\"").Append(css is null ? string.Empty : $" class=\"{css}\"").Append(" id=\"").Append(id).Append("\" name=\"").Append(E(field))
            .Append("\" value=\"").Append(E(value)).Append('"').Append(numeric ? " inputmode=\"numeric\"" : string.Empty).Append(" autocomplete=\"").Append(autocomplete).Append('"')
            .Append(error is null ? string.Empty : $" aria-describedby=\"{id}-error\" aria-invalid=\"true\"").Append(">\n</div>\n");
    }

    private void Select(string field, string label, string? value, IReadOnlyList<(string Value, string Label)> options, string? error)
    {
        var id = IdOfField(field);
        FieldStart(error);
        _html.Append("<label for=\"").Append(id).Append("\">").Append(E(label)).Append("</label>\n");
        Error(id + "-error", error);
        _html.Append("<select id=\"").Append(id).Append("\" name=\"").Append(E(field)).Append('"')
            .Append(error is null ? string.Empty : $" aria-describedby=\"{id}-error\" aria-invalid=\"true\"").Append(">\n");
        foreach (var (optionValue, optionLabel) in options)
        {
            _html.Append("<option value=\"").Append(optionValue).Append('"').Append(string.Equals(value ?? string.Empty, optionValue, StringComparison.Ordinal) ? " selected" : string.Empty)
                .Append('>').Append(E(optionLabel)).Append("</option>\n");
        }

        _html.Append("</select>\n</div>\n");
    }

    private void Radios(string idPrefix, string field, string legend, string? value, IReadOnlyList<(string Value, string Label)> options, string? error)
    {
        FieldStart(error);
        _html.Append("<fieldset id=\"").Append(idPrefix).Append('"').Append(error is null ? string.Empty : $" aria-describedby=\"{idPrefix}-error\"").Append(">\n")
            .Append("<legend>").Append(E(legend)).Append("</legend>\n");
        Error(idPrefix + "-error", error);
        foreach (var (optionValue, optionLabel) in options)
        {
            var id = idPrefix + "-" + optionValue;
            _html.Append("<div class=\"option\"><input type=\"radio\" id=\"").Append(id).Append("\" name=\"").Append(E(field)).Append("\" value=\"").Append(optionValue).Append('"')
                .Append(string.Equals(value, optionValue, StringComparison.Ordinal) ? " checked" : string.Empty)
                .Append("><label for=\"").Append(id).Append("\">").Append(E(optionLabel)).Append("</label></div>\n");
        }

        _html.Append("</fieldset>\n</div>\n");
    }

    private void DatePart(string field, string label, string? value, string cssClass, bool invalid)
    {
        var id = IdOfField(field);
        _html.Append("<div class=\"").Append(cssClass).Append("\"><label for=\"").Append(id).Append("\">").Append(label).Append("</label>")
            .Append("<input type=\"text\" id=\"").Append(id).Append("\" name=\"").Append(field).Append("\" value=\"").Append(E(value))
            .Append("\" inputmode=\"numeric\" autocomplete=\"off\"").Append(invalid ? " aria-invalid=\"true\"" : string.Empty).Append("></div>\n");
    }

    private void FieldStart(string? error) => _html.Append(error is null ? "<div class=\"field\">\n" : "<div class=\"field field-error\">\n");

    private void Hidden(string name, string value) =>
        _html.Append("<input type=\"hidden\" name=\"").Append(E(name)).Append("\" value=\"").Append(E(value)).Append("\">\n");

    private void Error(string id, string? message)
    {
        if (message is not null)
        {
            _html.Append("<p class=\"error-message\" id=\"").Append(id).Append("\"><span class=\"visually-hidden\">Error: </span>").Append(E(message)).Append("</p>\n");
        }
    }
}
