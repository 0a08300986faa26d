using System.Globalization;
using System.Text;
using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Notifications;
using HandInHand.Domain.Referrals;
using HandInHand.Infrastructure.Referrals;
using HandInHand.Infrastructure.Workflow;
using static HandInHand.Host.Web.Html;

namespace HandInHand.Host.Staff.Pages;

/// <summary>
/// One case as its practitioner needs it for first contact: the young person (name, age, how to
/// contact them safely), the concerns and risk, additional needs, the referrer's contact details,
/// where the case is and what is due, the form for the next step, and the history in plain words.
/// Rendered only for a caller the case is open to; the endpoint audits the read.
/// </summary>
internal sealed class CasePage(TimeZoneInfo zone, DateTimeOffset now, string antiforgeryField, string antiforgeryToken)
{
    private static readonly CultureInfo Uk = CultureInfo.GetCultureInfo("en-GB");
    private readonly StringBuilder _html = new();

    /// <summary>A moment as a person in the service reads it: local date and time.</summary>
    public string Local(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, zone).ToString("d MMMM yyyy 'at' HH:mm", Uk);

    public string Render(ReferralState state, ReferralRecord? referral, IReadOnlyList<HistoryEntry> history, CasePageExtras extras)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(extras);
        _html.Append("<h1>Case ").Append(E(state.Reference)).Append("</h1>\n");
        var errors = extras.Errors;
        if (errors.Count > 0)
        {
            // Each form names its fields' ids: the manager's triage forms their own, the others the field's name.
            var triage = extras.Decline is not null || extras.Allocate is not null;
            var practitioner = extras.Session is not null || extras.Review is not null || extras.ContactChannel is not null || extras.Close is not null
                ? new PractitionerForms(antiforgeryField, antiforgeryToken, extras.PractitionerFormDomains ?? Domain.Lifecycle.LifecycleSettings.DefaultMyWheelDomains)
                : null;
            _html.Append(StaffLayout.ErrorSummary(errors.Select(e => ((triage ? TriageForms.IdOf(e.Field) : null) ?? practitioner?.IdOf(e.Field) ?? FirstContactForm.IdOf(e.Field), e.Message))));
        }

        if (extras.Notice is not null)
        {
            _html.Append("<div class=\"notice\" role=\"status\" id=\"notice\"><p>").Append(E(extras.Notice)).Append("</p></div>\n");
        }

        Summary(state);
        YoungPerson(state, referral);
        Concerns(state, referral);
        Referrer(referral);
        _html.Append(extras.PanelSection);

        // The first-contact form as sent back with its errors, or a blank one at its step.
        if (state.Stage == Stage.Allocated || extras.FirstContact is not null)
        {
            var input = extras.FirstContact ?? FirstContactInput.Blank(TimeZoneInfo.ConvertTime(now, zone).DateTime, Guid.NewGuid().ToString("N"));
            _html.Append(new FirstContactForm(antiforgeryField, antiforgeryToken).Render(state.Reference, input, errors));
        }

        if (extras.PractitionerFormDomains is { } domains)
        {
            PractitionerSteps(state, domains, extras);
        }

        if (extras.ShowTriage && state.Stage == Stage.AwaitingTriage)
        {
            _html.Append(new TriageForms(antiforgeryField, antiforgeryToken).RenderTriage(state.Reference, extras.Decline, errors));
        }

        if (extras.ShowTriage && extras.Candidates is { } candidates && state.Stage is Stage.AwaitingAllocation or Stage.WaitingList)
        {
            _html.Append(new TriageForms(antiforgeryField, antiforgeryToken).RenderAllocation(state, candidates, extras.Allocate, errors));
        }

        Timeline(history);
        return _html.ToString();
    }

    /// <summary>The case holder's forms that fit the case's step, each as sent back with its errors or blank.</summary>
    private void PractitionerSteps(ReferralState state, IReadOnlyList<string> domains, CasePageExtras extras)
    {
        string Key() => Guid.NewGuid().ToString("N");
        PractitionerForms Forms() => new(antiforgeryField, antiforgeryToken, domains);
        var errors = extras.Errors;
        if (PractitionerForms.SessionFits(state) || extras.Session is not null)
        {
            var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
            _html.Append(Forms().RenderSession(state.Reference, extras.Session ?? SessionInput.Blank(today, Key()), extras.Session is null ? [] : errors));
        }

        if (PractitionerForms.ReviewFits(state) || extras.Review is not null)
        {
            _html.Append(Forms().RenderReview(state.Reference, extras.Review ?? ReviewInput.Blank(domains, Key()), extras.Review is null ? [] : errors));
        }

        if (PractitionerForms.ContactChannelFits(state) || extras.ContactChannel is not null)
        {
            _html.Append(Forms().RenderContactChannel(state.Reference, extras.ContactChannel ?? new ContactChannelInput(null, null, null, Key()), extras.ContactChannel is null ? [] : errors));
        }

        if (PractitionerForms.SurveyOptOutFits(state))
        {
            _html.Append(Forms().RenderSurveyOptOut(state.Reference));
        }

        if (PractitionerForms.CloseFits(state) || extras.Close is not null)
        {
            _html.Append(Forms().RenderClose(state.Reference, state, extras.Close ?? CloseInput.Blank(domains, Key()), extras.Close is null ? [] : errors));
        }
    }

    private void Summary(ReferralState state)
    {
        _html.Append("<h2>Where the case is</h2>\n<dl>\n");
        Row("Stage", PlainWords.Of(state.Stage), id: "stage");
        Row("Received", Local(state.ReceivedAt));
        if (state.PractitionerId is not null)
        {
            Row("Case holder", state.PractitionerId);
        }

        if (state.Strand is { } strand)
        {
            Row("Strand", PlainWords.Of(strand));
        }

        if (state.FirstContactAt is { } contacted)
        {
            Row("First contact", Local(contacted) + (state.Consent == true ? ": agreed to support" : ": did not agree to support"));
        }

        if (CaseDeadlines.Next(DigestCase.From(state), now) is { } next)
        {
            Row("Next deadline", $"{next.What}: {Local(next.At)}", id: "next-deadline");
        }

        var overdue = CaseDeadlines.Overdue(DigestCase.From(state), now);
        if (overdue.Count > 0)
        {
            _html.Append("<div><dt>Overdue</dt><dd id=\"overdue\" class=\"overdue\">")
                .Append(string.Join("; ", overdue.Select(d => E($"{d.What}: was due {Local(d.At)}"))))
                .Append("</dd></div>\n");
        }

        _html.Append("</dl>\n");
    }

    private void YoungPerson(ReferralState state, ReferralRecord? referral)
    {
        _html.Append("<h2>The young person</h2>\n");
        if (referral is null)
        {
            _html.Append("<p>The young person's details are no longer held: the record was erased.</p>\n");
            return;
        }

        var yp = referral.Form.YoungPerson;
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        _html.Append("<dl>\n");
        Row("Name", $"{yp.FirstName} {yp.LastName}", id: "young-person-name");
        Row("Age", $"{AgeOn(yp.DateOfBirth, today)} years old (born {yp.DateOfBirth.ToString("d MMMM yyyy", Uk)})", id: "young-person-age");
        Row("Gender", Label(Choices.Genders, yp.Gender));
        Row("Area", yp.Region);
        Row("School or setting", yp.SchoolOrSetting);
        Row("How to contact them safely", yp.SafeContact, id: "safe-contact");
        Row("Phone", yp.Phone);
        if (state.Channel is { } channel)
        {
            Row("Contact channel recorded", (channel == ContactChannel.Email ? "Email" : "Text message") + (state.ChannelIsSafe ? ", marked safe" : ", not marked safe"));
        }

        _html.Append("</dl>\n");
    }

    private void Concerns(ReferralState state, ReferralRecord? referral)
    {
        _html.Append("<h2>Concerns and risk</h2>\n<dl>\n");
        Row("Risk now", Capital(PlainWords.Of(state.CurrentRisk)), id: "risk");
        Row("Risk judged by the referrer", Capital(PlainWords.Of(state.RiskAtReferral)));
        if (referral is not null)
        {
            var form = referral.Form;
            _html.Append("<div><dt>Concerns</dt><dd id=\"concerns\"><ul>");
            foreach (var concern in form.Concerns)
            {
                _html.Append("<li>").Append(E(Label(Choices.Concerns, concern))).Append("</li>");
            }

            _html.Append("</ul></dd></div>\n");
            Row("About the concerns", form.ConcernDetails);
            Row("Additional needs", form.AdditionalNeeds ?? "None given", id: "additional-needs");
            Row("Other agencies involved", form.OtherAgencies);
            Row("Knows about the referral", form.YoungPersonKnowsAboutReferral ? "Yes" : "No");
            Row("Agrees to the referral", form.YoungPersonAgreesToReferral ? "Yes" : "No");
        }

        _html.Append("</dl>\n");
    }

    private void Referrer(ReferralRecord? referral)
    {
        if (referral is null)
        {
            return;
        }

        var r = referral.Form.Referrer;
        _html.Append("<h2>The referrer</h2>\n<dl>\n");
        Row("Name", r.Name, id: "referrer-name");
        Row("Referring as", Label(Choices.ReferrerTypes, r.Type));
        Row("Organisation", r.Organisation);
        if (r.Email is not null)
        {
            _html.Append("<div><dt>Email</dt><dd id=\"referrer-email\"><a href=\"mailto:").Append(E(r.Email)).Append("\">").Append(E(r.Email)).Append("</a></dd></div>\n");
        }

        if (r.Phone is not null)
        {
            _html.Append("<div><dt>Phone</dt><dd id=\"referrer-phone\"><a href=\"tel:").Append(E(r.Phone.Replace(" ", string.Empty, StringComparison.Ordinal))).Append("\">").Append(E(r.Phone)).Append("</a></dd></div>\n");
        }

        _html.Append("</dl>\n");
    }

    private void Timeline(IReadOnlyList<HistoryEntry> history)
    {
        var rows = new StringBuilder();
        foreach (var entry in history)
        {
            var e = entry.Event;
            rows.Append("<tr><td>").Append(E(Local(e.At))).Append("</td><td>").Append(E(PlainWords.Of(e, Local)))
                .Append("</td><td>").Append(E(e.By.Role == Role.System ? "the system" : $"{e.By.Id} ({PlainWords.Of(e.By.Role)})")).Append("</td></tr>\n");
        }

        _html.Append("<h2>Timeline</h2>\n").Append(StaffLayout.ScrollingTable("timeline-caption",
            $"<table id=\"timeline\">\n<caption id=\"timeline-caption\">What happened, oldest first</caption>\n<thead><tr><th scope=\"col\">When</th><th scope=\"col\">What</th><th scope=\"col\">Who</th></tr></thead>\n<tbody>\n{rows}</tbody>\n</table>\n"));
    }

    private void Row(string term, string? value, string? id = null)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return;
        }

        _html.Append("<div><dt>").Append(E(term)).Append("</dt><dd").Append(id is null ? string.Empty : $" id=\"{id}\"").Append('>').Append(E(value)).Append("</dd></div>\n");
    }

    private static string Label(IReadOnlyList<Choice> choices, string code) =>
        choices.FirstOrDefault(c => string.Equals(c.Code, code, StringComparison.OrdinalIgnoreCase))?.Label ?? code;

    private static string Capital(string words) => words.Length == 0 ? words : char.ToUpperInvariant(words[0]) + words[1..];

    /// <summary>Whole years from <paramref name="born"/> to <paramref name="today"/>.</summary>
    internal static int AgeOn(DateOnly born, DateOnly today)
    {
        var age = today.Year - born.Year;
        return born.AddYears(age) > today ? age - 1 : age;
    }
}
