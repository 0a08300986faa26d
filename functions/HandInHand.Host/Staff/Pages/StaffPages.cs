using System.Globalization;
using System.Text;
using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Notifications;
using HandInHand.Domain.Referrals;
using HandInHand.Host.Audit;
using HandInHand.Host.Referrals;
using HandInHand.Host.Reports;
using HandInHand.Host.Security;
using HandInHand.Host.Web;
using HandInHand.Infrastructure.Orchestration;
using HandInHand.Infrastructure.Referrals;
using HandInHand.Infrastructure.Workflow;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;
using static HandInHand.Host.Web.Html;

namespace HandInHand.Host.Staff.Pages;

/// <summary>
/// The staff pages of a practitioner's work: the staff home (which sends each role to its own
/// first page), "My cases", one case's page, and the first-contact form. Each page enforces the
/// API's rules: the route's policy, then <see cref="CaseAccess"/> (a case not open to the caller is
/// answered as one that does not exist); each read or change of a case is audited; each step goes
/// through <see cref="ReferralCommands"/>, the one way into a referral's lifecycle.
/// </summary>
public static class StaffPages
{
    /// <summary>The query value the case page takes after a step was recorded (a word, never data).</summary>
    internal const string RecordedQuery = "recorded";

    private const string FirstContactRecorded = "first-contact";

    /// <summary>What the case page says after a form on it was sent, by the step recorded: every page's notices in one list, which the query parameter is checked against.</summary>
    private static readonly IReadOnlyDictionary<string, string> Notices =
        new Dictionary<string, string>(StringComparer.Ordinal) { [FirstContactRecorded] = "First contact recorded." }
            .Concat(TriagePages.Notices).Concat(PanelPages.Notices).Concat(CaseWorkPages.Notices)
            .ToDictionary(n => n.Key, n => n.Value, StringComparer.Ordinal);

    public static IEndpointRouteBuilder MapStaffPages(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup(StaffLayout.HomePath).ExcludeFromDescription();
        pages.MapGet(string.Empty, ShowHome).RequireAuthorization(Policies.CaseReading);
        pages.MapGet("cases", ShowMyCasesAsync).RequireAuthorization(Policies.CaseReading);
        pages.MapGet("cases/{reference}", ShowCaseAsync).RequireAuthorization(Policies.CaseReading).WithMetadata(new AuditedAttribute())
            .WithQueryParameter(RecordedQuery, FirstContactRecorded, "The step just recorded from this page, to say so at the top (after a form is sent).");
        pages.MapPost("cases/{reference}/first-contact", RecordFirstContactAsync).RequireAuthorization(Policies.CaseWork).WithMetadata(new AuditedAttribute());
        return app;
    }

    /// <summary>GET /staff: a practitioner goes to their cases, the manager to the dashboard, the panel to its queue.</summary>
    public static IResult ShowHome(HttpContext context, IAntiforgery antiforgery) => ActorHeaders.From(context.Request)?.Role switch
    {
        Role.Practitioner => Results.Redirect(StaffLayout.MyCasesPath),
        Role.Manager => Results.Redirect(ReportPages.DashboardPath),
        Role.Panel => Results.Redirect(PanelPages.QueuePath),
        _ => StaffLayout.Page(context, antiforgery, "Staff", """
            <h1>Staff</h1>
            <p>There is no staff page for your role.</p>
            """),
    };

    /// <summary>GET /staff/cases: the cases allocated to the signed-in practitioner, overdue first, then by their next deadline.</summary>
    public static async Task<IResult> ShowMyCasesAsync(
        HttpContext context, IAntiforgery antiforgery, CaseBoard board, TimeProvider clock, IOptions<IntakeOptions> intake, CancellationToken cancellationToken)
    {
        var actor = ActorHeaders.From(context.Request)!;
        var now = clock.GetUtcNow();
        var zone = TimeZoneInfo.FindSystemTimeZoneById(intake.Value.TimeZone);

        // The practitioner's own view on the case board: only the rows of the cases they hold.
        var held = new List<DigestCase>();
        await foreach (var card in board.HeldByAsync(actor.Id, cancellationToken))
        {
            if (CaseAccess.IsOpenTo(actor, card))
            {
                held.Add(DigestCase.From(card));
            }
        }

        var page = new CasePage(zone, now, string.Empty, string.Empty);
        var rows = new StringBuilder();
        foreach (var state in held
            .OrderBy(s => CaseDeadlines.Overdue(s, now).Count == 0)
            .ThenBy(s => CaseDeadlines.Next(s, now)?.At ?? DateTimeOffset.MaxValue)
            .ThenBy(s => s.ReceivedAt))
        {
            var next = CaseDeadlines.Next(state, now);
            var overdue = CaseDeadlines.Overdue(state, now);
            rows.Append("<tr><th scope=\"row\"><a href=\"").Append(E(StaffLayout.CasePath(state.Reference))).Append("\">").Append(E(state.Reference)).Append("</a></th>")
                .Append("<td>").Append(E(PlainWords.Of(state.Stage))).Append("</td>")
                .Append("<td>").Append(next is null ? "None" : E($"{next.What}: {page.Local(next.At)}")).Append("</td>")
                .Append("<td>").Append(overdue.Count == 0 ? "Nothing" : "<span class=\"overdue\">" + string.Join("; ", overdue.Select(d => E($"{d.What}: was due {page.Local(d.At)}"))) + "</span>").Append("</td></tr>\n");
        }

        var main = new StringBuilder("<h1>My cases</h1>\n");
        if (held.Count == 0)
        {
            main.Append(actor.Role == Role.Practitioner
                ? "<p id=\"no-cases\">No cases are allocated to you.</p>\n"
                : "<p id=\"no-cases\">No cases are allocated to you: this list is a practitioner's own cases.</p>\n");
        }
        else
        {
            main.Append("<p>").Append(held.Count.ToString(CultureInfo.InvariantCulture)).Append(held.Count == 1 ? " case is" : " cases are").Append(" allocated to you. Times are UK time.</p>\n")
                .Append(StaffLayout.ScrollingTable("my-cases-caption",
                    $"<table id=\"my-cases\">\n<caption id=\"my-cases-caption\">Your cases, overdue first</caption>\n<thead><tr><th scope=\"col\">Reference</th><th scope=\"col\">Stage</th><th scope=\"col\">Next deadline</th><th scope=\"col\">Overdue</th></tr></thead>\n<tbody>\n{rows}</tbody>\n</table>\n"));
        }

        return StaffLayout.Page(context, antiforgery, "My cases", main.ToString());
    }

    /// <summary>GET /staff/cases/{reference}: the case, if it is open to the caller; audited as a read of the young person's record.</summary>
    public static async Task<IResult> ShowCaseAsync(
        string reference, HttpContext context, IAntiforgery antiforgery, ReferralWorkflowStore store, ReferralStore referrals, AllocationService allocation, TimeProvider clock,
        IOptions<IntakeOptions> intake, CancellationToken cancellationToken)
    {
        // The query first: a bad value is the caller's error whatever the case.
        var query = QueryValues.Of(context.Request);
        var recorded = query.Code(RecordedQuery, [.. Notices.Keys]);
        if (!query.IsValid)
        {
            return StaffLayout.QueryErrorPage(context, antiforgery, "Case", query);
        }

        var loaded = await LoadOpenToCallerAsync(reference, context, store, cancellationToken);
        if (loaded is null)
        {
            return NotFoundPage(context, antiforgery);
        }

        var extras = new CasePageExtras(recorded is null ? null : Notices[recorded]) { Candidates = await TriagePages.CandidatesAsync(context, loaded.State, allocation, cancellationToken) };
        return await CasePageAsync(context, antiforgery, loaded.State, referrals, store, clock, intake.Value, extras, StatusCodes.Status200OK, cancellationToken);
    }

    /// <summary>
    /// POST /staff/cases/{reference}/first-contact: the form is checked field by field (nothing is
    /// sent while a field is wrong), then the command goes through <see cref="ReferralCommands"/> as
    /// the API's does; on success the browser goes back to the case, which shows the new stage.
    /// </summary>
    public static async Task<IResult> RecordFirstContactAsync(
        string reference, HttpContext context, IAntiforgery antiforgery, ReferralWorkflowStore store, ReferralStore referrals, ReferralCommands commands,
        TimeProvider clock, IOptions<IntakeOptions> intake, CancellationToken cancellationToken)
    {
        var loaded = await LoadOpenToCallerAsync(reference, context, store, cancellationToken);
        if (loaded is null)
        {
            return NotFoundPage(context, antiforgery);
        }

        var actor = ActorHeaders.From(context.Request)!;
        var form = await ReferralPages.ReadFormAsync(context, 8192, cancellationToken);
        var input = form is null ? null : FirstContactInput.From(form);
        if (form is null || !await antiforgery.IsRequestValidAsync(context))
        {
            // An expired page: the typed values come back, so nothing is lost.
            return await CasePageAsync(context, antiforgery, loaded.State, referrals, store, clock, intake.Value,
                new CasePageExtras("The page had expired. Check the details and record first contact again.", input), StatusCodes.Status400BadRequest, cancellationToken);
        }

        var zone = TimeZoneInfo.FindSystemTimeZoneById(intake.Value.TimeZone);
        var (consent, contactedAt, errors) = input!.Parse(zone);
        if (errors.Count > 0)
        {
            return await CasePageAsync(context, antiforgery, loaded.State, referrals, store, clock, intake.Value,
                new CasePageExtras(null, input, errors), StatusCodes.Status400BadRequest, cancellationToken);
        }

        // Times are typed to the minute: a contact in the very minute the referral arrived counts
        // as after it, not as a minute before it.
        var received = loaded.State.ReceivedAt;
        if (contactedAt < received && received - contactedAt < TimeSpan.FromMinutes(1))
        {
            contactedAt = received;
        }

        var commandKey = IdempotencyKeys.Check(input.CommandKey) is null ? input.CommandKey : null;
        var outcome = new StepOutcome(context, antiforgery, store, loaded, (state, extras, status) =>
            CasePageAsync(context, antiforgery, state, referrals, store, clock, intake.Value, extras, status, cancellationToken));
        return await outcome.SendAsync(
            () => commands.SendAsync(reference, new ReferralCommand.RecordFirstContact(actor, clock.GetUtcNow(), contactedAt, consent), commandKey, cancellationToken),
            FirstContactRecorded,
            new StepWords("First contact is being recorded. It can take a moment: open the case again shortly to see it.", "First contact cannot be recorded now", "You cannot record first contact on this case"),
            FirstContactInput.DateField,
            error => new CasePageExtras(null, input with { CommandKey = Guid.NewGuid().ToString("N") }, [error]),
            cancellationToken);
    }

    internal static async Task<IResult> CasePageAsync(
        HttpContext context, IAntiforgery antiforgery, ReferralState state, ReferralStore referrals, ReferralWorkflowStore store, TimeProvider clock,
        IntakeOptions intake, CasePageExtras extras, int status, CancellationToken cancellationToken)
    {
        var referral = await referrals.GetAsync(state.Reference, cancellationToken);
        var history = await store.ReadHistoryAsync(state.Reference, cancellationToken);
        extras = await PanelPages.WithPanelSectionAsync(context, antiforgery, state, referral, extras, cancellationToken);
        var tokens = antiforgery.GetAndStoreTokens(context);
        var page = new CasePage(TimeZoneInfo.FindSystemTimeZoneById(intake.TimeZone), clock.GetUtcNow(), tokens.FormFieldName, tokens.RequestToken!);
        var title = (extras.Errors.Count > 0 ? "Error: " : string.Empty) + "Case " + state.Reference;
        var actor = ActorHeaders.From(context.Request);
        extras = extras with
        {
            ShowTriage = TriageForms.AreFor(actor, state),
            PractitionerFormDomains = PractitionerForms.AreFor(actor, state)
                ? context.RequestServices.GetRequiredService<IOptions<LifecycleSettings>>().Value.EffectiveMyWheelDomains
                : null,
        };
        return StaffLayout.Page(context, antiforgery, title, page.Render(state, referral, history, extras), status);
    }

    /// <summary>The case, when it exists and <see cref="CaseAccess"/> opens it to the caller; null otherwise, the two alike.</summary>
    internal static async Task<LoadedReferral?> LoadOpenToCallerAsync(string reference, HttpContext context, ReferralWorkflowStore store, CancellationToken cancellationToken)
    {
        var loaded = ReferenceNumber.TryParse(reference, out _) ? await store.LoadAsync(reference, cancellationToken) : null;
        return loaded is not null && ActorHeaders.From(context.Request) is { } actor && CaseAccess.IsOpenTo(actor, loaded.State) ? loaded : null;
    }

    internal static IResult NotFoundPage(HttpContext context, IAntiforgery antiforgery) =>
        StaffLayout.Page(context, antiforgery, "Case not found",
            "<h1>Case not found</h1>\n<p>No case with this reference is open to you. Check the reference, or go to <a href=\"" + StaffLayout.HomePath + "\">your staff home page</a>.</p>\n",
            StatusCodes.Status404NotFound);
}
