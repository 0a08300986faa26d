using System.Globalization;
using System.Text;
using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Referrals;
using HandInHand.Infrastructure.Referrals;
using HandInHand.Infrastructure.Workflow;
using static HandInHand.Host.Web.Html;

namespace HandInHand.Host.Staff.Pages;

/// <summary>
/// The panel's part of a Trusted Relationships case page: what the pathway's intake recorded (the
/// CERA and the multi-agency discussion), the panel's decision while the referral waits for it, and
/// the allocation to a practitioner and a strand once it is accepted. Each form offers only what the
/// decider lets the panel do at the step; each error sits beside its field, the values as sent.
/// </summary>
internal sealed class PanelCaseSection(string antiforgeryField, string antiforgeryToken)
{
    private static readonly CultureInfo Uk = CultureInfo.GetCultureInfo("en-GB");
    private readonly StringBuilder _html = new();
    private Dictionary<string, string> _errors = [];

    /// <summary>One practitioner the panel may allocate to, with the places they hold now.</summary>
    public sealed record Candidate(Practitioner Practitioner, int Held);

    public string Render(ReferralState state, ReferralRecord? referral, PanelDecisionInput? decision, StrandAllocationInput? allocation, IReadOnlyList<FieldError> errors, IReadOnlyList<Candidate> practitioners)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(practitioners);
        _errors = errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.First().Message, StringComparer.Ordinal);
        if (referral?.Form.TrustedRelationships is { } tr)
        {
            _html.Append("<h2>Trusted Relationships intake</h2>\n<dl>\n")
                .Append("<div><dt>Child Exploitation Risk Assessment completed</dt><dd id=\"cera-completed\">").Append(E(tr.CeraCompletedOn.ToString("d MMMM yyyy", Uk))).Append("</dd></div>\n")
                .Append("<div><dt>Recommended by</dt><dd id=\"multi-agency-discussion\">").Append(E(Choices.LabelOf(Choices.MultiAgencyDiscussions, tr.MultiAgencyDiscussion)))
                .Append(", on ").Append(E(tr.MultiAgencyDiscussionOn.ToString("d MMMM yyyy", Uk))).Append("</dd></div>\n</dl>\n");
        }

        var choices = PanelDecisionInput.ChoicesAt(state.Stage);
        if (choices.Count > 0)
        {
            Decision(state.Reference, choices, decision ?? new PanelDecisionInput(null, null, null, Guid.NewGuid().ToString("N")));
        }

        if (state.Stage is Stage.AwaitingAllocation or Stage.WaitingList)
        {
            Allocation(state, allocation ?? new StrandAllocationInput(null, null, Guid.NewGuid().ToString("N")), practitioners);
        }

        return _html.ToString();
    }

    private void Decision(string reference, IReadOnlyList<(string Value, string Label)> choices, PanelDecisionInput input)
    {
        _html.Append("<h2 id=\"panel-decision\">Panel decision</h2>\n")
            .Append("<form method=\"post\" action=\"").Append(E(PanelPages.DecisionPath(reference))).Append("\" novalidate>\n");
        Hidden(antiforgeryField, antiforgeryToken);
        Hidden(PanelDecisionInput.CommandKeyField, input.CommandKey ?? Guid.NewGuid().ToString("N"));
        Radios(PanelDecisionInput.DecisionField, "What does the panel decide?", null, input.Decision, choices);
        TextArea(PanelDecisionInput.ReasonField, "If the panel declines it: why?", "The referrer is told this reason. Do not include the young person's details.", input.Reason);
        Radios(PanelDecisionInput.CategoryField, "If the panel declines it: which of these fits best?", null, input.Category,
            [.. PanelDecisionInput.DeclineCategories.Select(c => (Domain.Reports.ReportFacts.Code(c.Reason), c.Label))]);
        _html.Append("<button type=\"submit\">Record the panel's decision</button>\n</form>\n");
    }

    private void Allocation(ReferralState state, StrandAllocationInput input, IReadOnlyList<Candidate> practitioners)
    {
        _html.Append("<h2 id=\"strand-allocation\">Allocate to a strand</h2>\n")
            .Append("<p>Choose who works with the young person and the strand of support. Practitioners who cover ").Append(E(state.Region)).Append(" come first.</p>\n")
            .Append("<form method=\"post\" action=\"").Append(E(PanelPages.AllocationPath(state.Reference))).Append("\" novalidate>\n");
        Hidden(antiforgeryField, antiforgeryToken);
        Hidden(StrandAllocationInput.CommandKeyField, input.CommandKey ?? Guid.NewGuid().ToString("N"));

        const string field = StrandAllocationInput.PractitionerField;
        var error = _errors.GetValueOrDefault(field);
        _html.Append(error is null ? "<div class=\"field\">\n" : "<div class=\"field field-error\">\n")
            .Append("<label for=\"").Append(field).Append("\">Practitioner</label>\n");
        Error(field, error);
        _html.Append("<select id=\"").Append(field).Append("\" name=\"").Append(field).Append('"')
            .Append(error is null ? string.Empty : $" aria-describedby=\"{field}-error\" aria-invalid=\"true\"").Append(">\n<option value=\"\">Choose…</option>\n");
        foreach (var (p, held) in practitioners
            .OrderBy(c => !c.Practitioner.Regions.Contains(state.Region, StringComparer.OrdinalIgnoreCase))
            .ThenBy(c => c.Practitioner.DisplayName, StringComparer.Ordinal))
        {
            _html.Append("<option value=\"").Append(E(p.Id)).Append('"').Append(p.Id == input.PractitionerId ? " selected" : string.Empty).Append('>')
                .Append(E($"{p.DisplayName} ({string.Join(", ", p.Regions)}): {held} of {p.Capacity} places taken")).Append("</option>\n");
        }

        _html.Append("</select>\n</div>\n");
        Radios(StrandAllocationInput.StrandField, "Which strand of support?", null, input.Strand, [.. StrandAllocationInput.Strands.Select(s => (s.Code, s.Label))]);
        _html.Append("<button type=\"submit\">Allocate</button>\n</form>\n");
    }

    private void Radios(string field, string legend, string? hint, string? value, IReadOnlyList<(string Value, string Label)> choices)
    {
        var error = _errors.GetValueOrDefault(field);
        _html.Append(error is null ? "<div class=\"field\">\n" : "<div class=\"field field-error\">\n")
            .Append("<fieldset").Append(error is null ? string.Empty : $" aria-describedby=\"{field}-error\"").Append(">\n<legend>").Append(E(legend)).Append("</legend>\n");
        if (hint is not null)
        {
            _html.Append("<p class=\"hint\">").Append(E(hint)).Append("</p>\n");
        }

        Error(field, error);
        for (var i = 0; i < choices.Count; i++)
        {
            // The first option carries the field's own id, which the error summary links to.
            var (code, label) = choices[i];
            var id = i == 0 ? field : $"{field}-{code}";
            _html.Append("<div class=\"option\"><input type=\"radio\" id=\"").Append(E(id)).Append("\" name=\"").Append(field).Append("\" value=\"").Append(E(code)).Append('"')
                .Append(code == value ? " checked" : string.Empty).Append("><label for=\"").Append(E(id)).Append("\">").Append(E(label)).Append("</label></div>\n");
        }

        _html.Append("</fieldset>\n</div>\n");
    }

    private void TextArea(string field, string label, string hint, string? value)
    {
        var error = _errors.GetValueOrDefault(field);
        _html.Append(error is null ? "<div class=\"field\">\n" : "<div class=\"field field-error\">\n")
            .Append("<label for=\"").Append(field).Append("\">").Append(E(label)).Append("</label>\n")
            .Append("<p class=\"hint\" id=\"").Append(field).Append("-hint\">").Append(E(hint)).Append("</p>\n");
        Error(field, error);
        _html.Append("<textarea id=\"").Append(field).Append("\" name=\"").Append(field).Append("\" maxlength=\"2000\" aria-describedby=\"").Append(field).Append("-hint")
            .Append(error is null ? "\"" : $" {field}-error\" aria-invalid=\"true\"").Append('>').Append(E(value)).Append("</textarea>\n</div>\n");
    }

    private void Hidden(string name, string value) =>
        _html.Append("<input type=\"hidden\" name=\"").Append(E(name)).Append("\" value=\"").Append(E(value)).Append("\">\n");

    private void Error(string field, string? message)
    {
        if (message is not null)
        {
            _html.Append("<p class=\"error-message\" id=\"").Append(field).Append("-error\"><span class=\"visually-hidden\">Error: </span>").Append(E(message)).Append("</p>\n");
        }
    }
}
