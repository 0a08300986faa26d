using System.Globalization;
using System.Text;
using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Referrals;
using HandInHand.Infrastructure.Workflow;
using static HandInHand.Host.Web.Html;

namespace HandInHand.Host.Staff.Pages;

/// <summary>
/// The manager's forms on a case page: triage (accept, decline with reason and category, or ask
/// the referrer for more information) while the referral awaits triage, and allocation (the
/// suggested practitioner, or another chosen from a list) while it awaits a place. Each form posts
/// to its own route with its own idempotency key; errors sit beside their fields.
/// </summary>
internal sealed class TriageForms(string antiforgeryField, string antiforgeryToken)
{
    public const string AcceptAction = "accept";
    public const string DeclineAction = "decline";
    public const string RequestInformationAction = "request-information";
    public const string AllocateAction = "allocate";

    private readonly StringBuilder _html = new();

    /// <summary>The id of the control an error about <paramref name="field"/> links to, or null when the field is not one of these forms'.</summary>
    public static string? IdOf(string field) => field switch
    {
        DeclineInput.ReasonField => "decline-reason",
        DeclineInput.CategoryField => "decline-category",
        AllocateInput.PractitionerField => "allocate-practitioner",
        _ => null,
    };

    public static string ActionPath(string reference, string action) => StaffLayout.CasePath(reference) + "/" + action;

    /// <summary>
    /// Whether the manager's forms belong on this case for this viewer: a Hand in Hand referral
    /// and its triage role, the manager. The Trusted Relationships panel decides and allocates to
    /// a strand on its own pages. The decider has the last word either way.
    /// </summary>
    public static bool AreFor(Actor? viewer, ReferralState state) =>
        viewer?.Role == Role.Manager && state.Pathway == ServicePathway.HandInHand;

    public string RenderTriage(string reference, DeclineInput? decline, IReadOnlyList<FieldError> errors)
    {
        var byField = errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.First().Message, StringComparer.Ordinal);
        decline ??= new DeclineInput(null, null, null);
        _html.Append("<h2 id=\"triage\">Triage</h2>\n")
            .Append("<p>Decide whether the service takes this referral on: accept it, decline it, or ask the referrer for more information.</p>\n");

        _html.Append("<h3 id=\"accept\">Accept</h3>\n");
        OpenForm(reference, AcceptAction, null);
        _html.Append("<p class=\"hint\">An accepted referral goes to a practitioner with a free place in its area, or onto the waiting list.</p>\n")
            .Append("<button type=\"submit\">Accept the referral</button>\n</form>\n");

        _html.Append("<h3 id=\"decline\">Decline</h3>\n");
        OpenForm(reference, DeclineAction, decline.CommandKey);
        var categoryError = byField.GetValueOrDefault(DeclineInput.CategoryField);
        _html.Append(categoryError is null ? "<div class=\"field\">\n" : "<div class=\"field field-error\">\n")
            .Append("<label for=\"decline-category\">Why is it declined?</label>\n");
        Error("decline-category-error", categoryError);
        _html.Append("<select id=\"decline-category\" name=\"").Append(DeclineInput.CategoryField).Append('"')
            .Append(categoryError is null ? string.Empty : " aria-describedby=\"decline-category-error\" aria-invalid=\"true\"").Append(">\n")
            .Append("<option value=\"\">Choose a reason</option>\n");
        foreach (var reason in NotTakenReasons.ForDecline)
        {
            var code = Domain.Reports.ReportFacts.Code(reason);
            _html.Append("<option value=\"").Append(code).Append('"').Append(decline.Category == code ? " selected" : string.Empty).Append('>')
                .Append(E(Capital(PlainWords.Of(reason)))).Append("</option>\n");
        }

        _html.Append("</select>\n</div>\n");
        var reasonError = byField.GetValueOrDefault(DeclineInput.ReasonField);
        _html.Append(reasonError is null ? "<div class=\"field\">\n" : "<div class=\"field field-error\">\n")
            .Append("<label for=\"decline-reason\">The reason</label>\n")
            .Append("<p class=\"hint\" id=\"decline-reason-hint\">The referrer is told the referral was declined. Up to ")
            .Append(DeclineInput.MaxReasonLength.ToString(CultureInfo.InvariantCulture)).Append(" characters.</p>\n");
        Error("decline-reason-error", reasonError);
        _html.Append("<textarea id=\"decline-reason\" name=\"").Append(DeclineInput.ReasonField).Append("\" rows=\"4\" aria-describedby=\"decline-reason-hint")
            .Append(reasonError is null ? "\"" : " decline-reason-error\" aria-invalid=\"true\"").Append('>')
            .Append(E(decline.Reason)).Append("</textarea>\n</div>\n")
            .Append("<button type=\"submit\">Decline the referral</button>\n</form>\n");

        _html.Append("<h3 id=\"request-information\">Ask for more information</h3>\n");
        OpenForm(reference, RequestInformationAction, null);
        _html.Append("<p class=\"hint\">The referrer is asked by email to answer on the referral's status page. With no answer the referral closes as no response.</p>\n")
            .Append("<button type=\"submit\">Ask the referrer for more information</button>\n</form>\n");
        return Flush();
    }

    /// <summary>
    /// The allocation forms: the first of <paramref name="candidates"/> that covers the region is
    /// suggested (a button of its own); every active practitioner is in the override list, with
    /// their places, since a manager may allocate over capacity.
    /// </summary>
    public string RenderAllocation(ReferralState state, IReadOnlyList<AllocationCandidate> candidates, AllocateInput? input, IReadOnlyList<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(candidates);
        var error = errors.FirstOrDefault(e => e.Field == AllocateInput.PractitionerField)?.Message;
        _html.Append("<h2 id=\"allocation\">Allocation</h2>\n");
        if (state.Stage == Stage.WaitingList)
        {
            _html.Append("<p>This referral is on the waiting list: it will be offered the next free place in its area. You can allocate it now instead.</p>\n");
        }

        if (candidates.FirstOrDefault(c => c.CoversRegion) is { } suggested)
        {
            OpenForm(state.Reference, AllocateAction, null);
            _html.Append("<p id=\"suggested-practitioner\">Suggested: ").Append(E(suggested.DisplayName)).Append(", who covers ").Append(E(state.Region)).Append(", ")
                .Append(E(suggested.Free > 0 ? Places(suggested) : "has no free place: allocating goes over capacity (" + Places(suggested) + ")")).Append(".</p>\n")
                .Append("<button type=\"submit\" name=\"").Append(AllocateInput.PractitionerField).Append("\" value=\"").Append(E(suggested.Id)).Append("\">Allocate to ")
                .Append(E(suggested.DisplayName)).Append("</button>\n</form>\n");
        }
        else
        {
            _html.Append("<p id=\"suggested-practitioner\">No practitioner covers ").Append(E(state.Region)).Append(". Choose one below.</p>\n");
        }

        OpenForm(state.Reference, AllocateAction, input?.CommandKey);
        _html.Append(error is null ? "<div class=\"field\">\n" : "<div class=\"field field-error\">\n")
            .Append("<label for=\"allocate-practitioner\">Or choose a practitioner</label>\n")
            .Append("<p class=\"hint\" id=\"allocate-practitioner-hint\">Practitioners with a free place come first.</p>\n");
        Error("allocate-practitioner-error", error);
        _html.Append("<select id=\"allocate-practitioner\" name=\"").Append(AllocateInput.PractitionerField).Append("\" aria-describedby=\"allocate-practitioner-hint")
            .Append(error is null ? "\"" : " allocate-practitioner-error\" aria-invalid=\"true\"").Append(">\n")
            .Append("<option value=\"\">Choose a practitioner</option>\n");
        foreach (var c in candidates.OrderByDescending(c => c.Free > 0).ThenByDescending(c => c.CoversRegion).ThenBy(c => c.Id, StringComparer.Ordinal))
        {
            _html.Append("<option value=\"").Append(E(c.Id)).Append('"').Append(input?.PractitionerId == c.Id ? " selected" : string.Empty).Append('>')
                .Append(E($"{c.DisplayName} ({string.Join(", ", c.Regions)}): {(c.Free > 0 ? Places(c) : "full, over capacity")}")).Append("</option>\n");
        }

        _html.Append("</select>\n</div>\n<button type=\"submit\">Allocate to the chosen practitioner</button>\n</form>\n");
        return Flush();
    }

    private static string Places(AllocationCandidate c) =>
        string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, c.Free)} of {c.Capacity} places free");

    private void OpenForm(string reference, string action, string? commandKey)
    {
        _html.Append("<form method=\"post\" action=\"").Append(E(ActionPath(reference, action))).Append("\" novalidate>\n");
        Hidden(antiforgeryField, antiforgeryToken);
        Hidden(FirstContactInput.CommandKeyField, string.IsNullOrEmpty(commandKey) ? Guid.NewGuid().ToString("N") : commandKey);
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

    private string Flush()
    {
        var html = _html.ToString();
        _html.Clear();
        return html;
    }

    private static string Capital(string words) => words.Length == 0 ? words : char.ToUpperInvariant(words[0]) + words[1..];
}
