using System.Text;
using HandInHand.Domain.Referrals;
using static HandInHand.Host.Web.Html;

namespace HandInHand.Host.Referrals;

/// <summary>
/// The HTML referral form: every field of the product brief (§4) in plain English, each control
/// labelled, hints and errors tied to their control with aria-describedby, and an error summary
/// that links to each field. Submitted values come back in the form when there are errors.
/// </summary>
internal sealed class ReferralFormPage(IReadOnlyList<string> regions, string antiforgeryField, string antiforgeryToken, string idempotencyKey)
{
    private readonly StringBuilder _html = new();
    private Dictionary<string, string> _errors = [];

    /// <summary>
    /// Set for the Trusted Relationships form: the referrer types that pathway admits (PRODUCT.md §6:
    /// case-holders in Children and Families services), the only ones it offers. Null for the referral form.
    /// </summary>
    public IReadOnlyList<string>? TrustedRelationshipsReferrerTypes { get; init; }

    /// <summary>Whether the referral form points to the Trusted Relationships form (the deployment takes such referrals).</summary>
    public bool OffersTrustedRelationships { get; init; }

    private bool IsTrustedRelationships => TrustedRelationshipsReferrerTypes is not null;

    public string Render(ReferralSubmission values, IReadOnlyList<FieldError> errors)
    {
        _errors = errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.First().Message);
        var yp = values.YoungPerson ?? new YoungPersonSubmission();
        var rf = values.Referrer ?? new ReferrerSubmission();

        if (IsTrustedRelationships)
        {
            _html.Append("<h1>Refer a young person to Trusted Relationships</h1>\n")
                .Append("<p>Trusted Relationships takes referrals from case-holders in Children and Families services. A referral needs a completed Child Exploitation Risk Assessment (CERA) and the recommendation of a multi-agency discussion: MAST in North Yorkshire, MACEM in the City of York. A panel decides on each referral.</p>\n");
        }
        else
        {
            _html.Append("<h1>Refer a young person</h1>\n");
            _html.Append("<p>Use this form to refer a child or young person aged 8 to 21 who is at risk of, or experiencing, sexual or criminal exploitation, or who is repeatedly reported missing. We aim to contact them within 24 hours.</p>\n");
            if (OffersTrustedRelationships)
            {
                _html.Append("<p>Are you a case-holder in Children and Families services, referring to the Trusted Relationships programme? <a href=\"").Append(ReferralPages.TrustedRelationshipsFormPath).Append("\">Use the Trusted Relationships form</a>.</p>\n");
            }
        }

        ErrorSummary(errors);
        _html.Append("<form method=\"post\" action=\"").Append(IsTrustedRelationships ? ReferralPages.TrustedRelationshipsFormPath : "/referrals/new").Append("\" novalidate>\n");
        Hidden(antiforgeryField, antiforgeryToken);
        Hidden(ReferralPages.IdempotencyField, idempotencyKey);

        _html.Append("<h2>About the young person</h2>\n");
        Text("youngPerson.firstName", "First name", yp.FirstName, autocomplete: "off");
        Text("youngPerson.lastName", "Last name", yp.LastName, autocomplete: "off");
        Text("youngPerson.dateOfBirth", "Date of birth", yp.DateOfBirth, type: "date", hint: "For example 27 March 2010.");
        Select("youngPerson.gender", "Gender", yp.Gender, Choices.Genders);
        Select("youngPerson.ethnicity", "Ethnicity", yp.Ethnicity, Choices.Ethnicities);
        Select("youngPerson.region", "Area where they live", yp.Region, [.. regions.Select(r => new Choice(r, r))]);
        Text("youngPerson.schoolOrSetting", "School, college or other setting (optional)", yp.SchoolOrSetting);
        TextArea("youngPerson.safeContact", "How can we contact them safely?", yp.SafeContact, "Who to go through, the best times, and anything we must avoid. Do not assume a phone or email is safe.");
        Text("youngPerson.phone", "Young person's phone number (optional)", yp.Phone, type: "tel");

        _html.Append("<h2>Concerns</h2>\n");
        Checkboxes("concerns", "What are you worried about?", values.Concerns ?? [], Choices.Concerns, "Choose all that apply.");
        TextArea("concernDetails", "Tell us more about the concerns (optional unless you chose other)", values.ConcernDetails, null);
        Radios("riskLevel", "How would you judge the risk?", values.RiskLevel, Choices.RiskLevels);
        TextArea("additionalNeeds", "Additional needs (optional for under 19s)", values.AdditionalNeeds, "For example a learning disability, autism, or a physical or mental health need.");
        TextArea("otherAgencies", "Other agencies involved (optional)", values.OtherAgencies, null);
        YesNo("youngPersonKnowsAboutReferral", "Does the young person know about this referral?", values.YoungPersonKnowsAboutReferral);
        YesNo("youngPersonAgreesToReferral", "Does the young person agree to this referral?", values.YoungPersonAgreesToReferral);

        _html.Append("<h2>About you</h2>\n");
        Text("referrer.name", "Your name", rf.Name, autocomplete: "name");
        Radios("referrer.type", "You are referring as", rf.Type, IsTrustedRelationships
            ? [.. Choices.ReferrerTypes.Where(c => TrustedRelationshipsReferrerTypes!.Contains(c.Code, StringComparer.Ordinal))]
            : Choices.ReferrerTypes);
        Text("referrer.organisation", "Your organisation", rf.Organisation, autocomplete: "organization", hint: "Not needed if you are a parent, carer or the young person.");
        Text("referrer.email", "Your email address", rf.Email, type: "email", autocomplete: "email", hint: "Give an email address, a phone number or both.");
        Text("referrer.phone", "Your phone number", rf.Phone, type: "tel", autocomplete: "tel");

        if (IsTrustedRelationships)
        {
            var tr = values.TrustedRelationships ?? new TrustedRelationshipsSubmission();
            _html.Append("<h2>Trusted Relationships</h2>\n");
            Checkboxes("trustedRelationships.referrerIsCaseHolder", "Your role", tr.ReferrerIsCaseHolder == true ? ["yes"] : [],
                [new("yes", "I hold the young person's case in Children and Families services")], null);
            Text("trustedRelationships.ceraCompletedOn", "When was the Child Exploitation Risk Assessment (CERA) completed?", tr.CeraCompletedOn, type: "date", hint: "For example 2 November 2026.");
            Radios("trustedRelationships.multiAgencyDiscussion", "Which multi-agency discussion recommended the referral?", tr.MultiAgencyDiscussion, Choices.MultiAgencyDiscussions);
            Text("trustedRelationships.multiAgencyDiscussionOn", "When did that discussion take place?", tr.MultiAgencyDiscussionOn, type: "date", hint: "For example 16 November 2026.");
        }

        _html.Append("<button type=\"submit\">Send referral</button>\n</form>\n");
        return _html.ToString();
    }

    private static string Id(string field) => field.Replace('.', '-');

    private void ErrorSummary(IReadOnlyList<FieldError> errors)
    {
        if (errors.Count == 0)
        {
            return;
        }

        _html.Append("<div class=\"error-summary\" role=\"alert\" aria-labelledby=\"error-summary-title\" tabindex=\"-1\">\n")
            .Append("<h2 id=\"error-summary-title\">There is a problem</h2>\n<ul>\n");
        foreach (var e in errors)
        {
            _html.Append("<li><a href=\"#").Append(E(Id(e.Field))).Append("\">").Append(E(e.Message)).Append("</a></li>\n");
        }

        _html.Append("</ul>\n</div>\n");
    }

    private void Hidden(string name, string value) =>
        _html.Append("<input type=\"hidden\" name=\"").Append(E(name)).Append("\" value=\"").Append(E(value)).Append("\">\n");

    /// <summary>Opens a field's wrapper; returns the ids of its hint and error for aria-describedby.</summary>
    private string Open(string field, string? hint)
    {
        var id = Id(field);
        var hasError = _errors.ContainsKey(field);
        _html.Append(hasError ? "<div class=\"field field-error\">\n" : "<div class=\"field\">\n");
        return string.Join(' ', new[] { hint is null ? null : id + "-hint", hasError ? id + "-error" : null }.OfType<string>());
    }

    private void HintAndError(string field, string? hint)
    {
        var id = Id(field);
        if (hint is not null)
        {
            _html.Append("<p class=\"hint\" id=\"").Append(id).Append("-hint\">").Append(E(hint)).Append("</p>\n");
        }

        if (_errors.TryGetValue(field, out var message))
        {
            _html.Append("<p class=\"error-message\" id=\"").Append(id).Append("-error\"><span class=\"visually-hidden\">Error: </span>").Append(E(message)).Append("</p>\n");
        }
    }

    private string Aria(string field, string describedBy) =>
        (describedBy.Length > 0 ? $" aria-describedby=\"{describedBy}\"" : string.Empty)
        + (_errors.ContainsKey(field) ? " aria-invalid=\"true\"" : string.Empty);

    private void Text(string field, string label, string? value, string type = "text", string? hint = null, string? autocomplete = null)
    {
        var describedBy = Open(field, hint);
        _html.Append("<label for=\"").Append(Id(field)).Append("\">").Append(E(label)).Append("</label>\n");
        HintAndError(field, hint);
        _html.Append("<input type=\"").Append(type).Append("\" id=\"").Append(Id(field)).Append("\" name=\"").Append(field)
            .Append("\" value=\"").Append(E(value)).Append('"')
            .Append(autocomplete is null ? string.Empty : $" autocomplete=\"{autocomplete}\"")
            .Append(Aria(field, describedBy)).Append(">\n</div>\n");
    }

    private void TextArea(string field, string label, string? value, string? hint)
    {
        var describedBy = Open(field, hint);
        _html.Append("<label for=\"").Append(Id(field)).Append("\">").Append(E(label)).Append("</label>\n");
        HintAndError(field, hint);
        _html.Append("<textarea id=\"").Append(Id(field)).Append("\" name=\"").Append(field).Append('"')
            .Append(Aria(field, describedBy)).Append('>').Append(E(value)).Append("</textarea>\n</div>\n");
    }

    private void Select(string field, string label, string? value, IReadOnlyList<Choice> choices)
    {
        var describedBy = Open(field, null);
        _html.Append("<label for=\"").Append(Id(field)).Append("\">").Append(E(label)).Append("</label>\n");
        HintAndError(field, null);
        _html.Append("<select id=\"").Append(Id(field)).Append("\" name=\"").Append(field).Append('"').Append(Aria(field, describedBy)).Append(">\n")
            .Append("<option value=\"\">Choose…</option>\n");
        foreach (var c in choices)
        {
            _html.Append("<option value=\"").Append(E(c.Code)).Append('"')
                .Append(string.Equals(c.Code, value, StringComparison.OrdinalIgnoreCase) ? " selected" : string.Empty)
                .Append('>').Append(E(c.Label)).Append("</option>\n");
        }

        _html.Append("</select>\n</div>\n");
    }

    private void Radios(string field, string legend, string? value, IReadOnlyList<Choice> choices) =>
        Options(field, legend, "radio", c => string.Equals(c.Code, value, StringComparison.Ordinal), choices, null);

    private void Checkboxes(string field, string legend, IReadOnlyList<string?> values, IReadOnlyList<Choice> choices, string? hint) =>
        Options(field, legend, "checkbox", c => values.Contains(c.Code), choices, hint);

    private void YesNo(string field, string legend, bool? value) =>
        Options(field, legend, "radio", c => (c.Code == "yes" && value == true) || (c.Code == "no" && value == false), [new("yes", "Yes"), new("no", "No")], null);

    private void Options(string field, string legend, string type, Func<Choice, bool> isChecked, IReadOnlyList<Choice> choices, string? hint)
    {
        var describedBy = Open(field, hint);
        _html.Append("<fieldset id=\"").Append(Id(field)).Append('"').Append(describedBy.Length > 0 ? $" aria-describedby=\"{describedBy}\"" : string.Empty).Append(">\n")
            .Append("<legend>").Append(E(legend)).Append("</legend>\n");
        HintAndError(field, hint);
        foreach (var c in choices)
        {
            var id = Id(field) + "-" + c.Code;
            _html.Append("<div class=\"option\"><input type=\"").Append(type).Append("\" id=\"").Append(E(id)).Append("\" name=\"").Append(field)
                .Append("\" value=\"").Append(E(c.Code)).Append('"').Append(isChecked(c) ? " checked" : string.Empty)
                .Append("><label for=\"").Append(E(id)).Append("\">").Append(E(c.Label)).Append("</label></div>\n");
        }

        _html.Append("</fieldset>\n</div>\n");
    }
}
