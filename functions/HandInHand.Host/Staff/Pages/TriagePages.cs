using System.Globalization;
using System.Text;
using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Referrals;
using HandInHand.Domain.Workflow;
using HandInHand.Host.Audit;
using HandInHand.Host.Referrals;
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
/// The service manager's pages: the triage queue, the waiting list, and the triage and allocation
/// steps posted from a case page. The lists read the case board through <see cref="StaffApi"/>'s
/// own views; each step is checked field by field, then sent through <see cref="ReferralCommands"/>
/// as the API's is, and returns to the case, which shows the new stage. The routes carry the API's
/// policies, and a case not open to the caller is answered as one that does not exist.
/// </summary>
public static class TriagePages
{
    public const string TriagePath = "/staff/triage";

    public const string WaitingListPath = "/staff/waiting-list";

    /// <summary>What each step says once recorded, by the word the case page takes after it.</summary>
    internal static readonly IReadOnlyDictionary<string, string> Notices = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["accepted"] = "Referral accepted.",
        ["declined"] = "Referral declined.",
        ["information-requested"] = "More information asked of the referrer.",
        ["allocated"] = "Case allocated.",
    };

    public static IEndpointRouteBuilder MapTriagePages(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup(StaffLayout.HomePath).ExcludeFromDescription();
        pages.MapGet("triage", ShowTriageQueueAsync).RequireAuthorization(Policies.Triage);
        pages.MapGet("waiting-list", ShowWaitingListAsync).RequireAuthorization(Policies.Triage);
        pages.MapPost("cases/{reference}/" + TriageForms.AcceptAction, AcceptAsync).RequireAuthorization(Policies.CaseWork).WithMetadata(new AuditedAttribute());
        pages.MapPost("cases/{reference}/" + TriageForms.DeclineAction, DeclineAsync).RequireAuthorization(Policies.CaseWork).WithMetadata(new AuditedAttribute());
        pages.MapPost("cases/{reference}/" + TriageForms.RequestInformationAction, RequestInformationAsync).RequireAuthorization(Policies.CaseWork).WithMetadata(new AuditedAttribute());
        pages.MapPost("cases/{reference}/" + TriageForms.AllocateAction, AllocateAsync).RequireAuthorization(Policies.CaseWork).WithMetadata(new AuditedAttribute());
        return app;
    }

    /// <summary>The notice for the word a step sends the case page; null for any other word.</summary>
    /// <summary>The practitioners to offer, when the viewer allocates this case at this stage; null otherwise.</summary>
    internal static async Task<IReadOnlyList<AllocationCandidate>?> CandidatesAsync(HttpContext context, ReferralState state, AllocationService allocation, CancellationToken cancellationToken) =>
        TriageForms.AreFor(ActorHeaders.From(context.Request), state) && state.Stage is Stage.AwaitingAllocation or Stage.WaitingList
            ? await allocation.CandidatesAsync(state.Region, cancellationToken)
            : null;

    /// <summary>GET /staff/triage: the referrals waiting for triage or for the referrer's information, oldest first.</summary>
    public static async Task<IResult> ShowTriageQueueAsync(
        HttpContext context, IAntiforgery antiforgery, CaseBoard board, TimeProvider clock, IOptions<IntakeOptions> intake, CancellationToken cancellationToken)
    {
        var queue = (await StaffApi.GetTriageQueueAsync(context.Request, board, cancellationToken)).Value!;
        var now = clock.GetUtcNow();
        var page = new CasePage(TimeZoneInfo.FindSystemTimeZoneById(intake.Value.TimeZone), now, string.Empty, string.Empty);
        var rows = new StringBuilder();
        foreach (var q in queue)
        {
            rows.Append("<tr><th scope=\"row\">").Append(CaseLink(q.Reference)).Append("</th>")
                .Append("<td>").Append(E(PlainWords.Of(Enum.Parse<Stage>(q.Stage)))).Append("</td>")
                .Append("<td>").Append(E(q.RiskLevel)).Append("</td>")
                .Append("<td>").Append(E(q.Region)).Append("</td>")
                .Append("<td>").Append(E(page.Local(q.ReceivedAt))).Append("</td>")
                .Append("<td>").Append(q.TriageDueAt is { } due ? E(page.Local(due)) + (due <= now ? " <span class=\"overdue\">Overdue</span>" : string.Empty) : "None").Append("</td></tr>\n");
        }

        var main = new StringBuilder("<h1>Triage queue</h1>\n");
        if (queue.Count == 0)
        {
            main.Append("<p id=\"no-referrals\">No referral is waiting for triage.</p>\n");
        }
        else
        {
            main.Append("<p>").Append(Count(queue.Count, "referral is", "referrals are")).Append(" waiting, oldest first. Open a referral to triage it. Times are UK time.</p>\n")
                .Append(StaffLayout.ScrollingTable("triage-caption",
                    "<table id=\"triage-queue\">\n<caption id=\"triage-caption\">Referrals waiting for triage or for the referrer's information</caption>\n"
                    + "<thead><tr><th scope=\"col\">Reference</th><th scope=\"col\">Stage</th><th scope=\"col\">Risk</th><th scope=\"col\">Area</th><th scope=\"col\">Received</th><th scope=\"col\">Triage due</th></tr></thead>\n"
                    + $"<tbody>\n{rows}</tbody>\n</table>\n"));
        }

        return StaffLayout.Page(context, antiforgery, "Triage queue", main.ToString());
    }

    /// <summary>GET /staff/waiting-list: the referrals waiting for a place, in the order places will be offered, with time waited and the referrer checks, from the case board.</summary>
    public static async Task<IResult> ShowWaitingListAsync(
        HttpContext context, IAntiforgery antiforgery, CaseBoard board, TimeProvider clock, IOptions<IntakeOptions> intake, CancellationToken cancellationToken)
    {
        var waiting = await StaffApi.WaitingCardsAsync(ActorHeaders.From(context.Request), board, cancellationToken);

        var now = clock.GetUtcNow();
        var page = new CasePage(TimeZoneInfo.FindSystemTimeZoneById(intake.Value.TimeZone), now, string.Empty, string.Empty);
        var rows = new StringBuilder();
        foreach (var card in waiting)
        {
            // A card on the waiting list always has the time it joined; the time received stands in only for a card that lacks it.
            var joined = card.WaitingSince ?? card.ReceivedAt;
            var checks = WaitingListChecks.From(card);
            rows.Append("<tr><th scope=\"row\">").Append(CaseLink(card.Reference)).Append("</th>")
                .Append("<td>").Append(E(card.Region)).Append("</td>")
                .Append("<td>").Append(E(card.RiskLevel.ToString())).Append("</td>")
                .Append("<td>").Append(E(page.Local(card.ReceivedAt))).Append("</td>")
                .Append("<td>").Append(E(page.Local(joined))).Append("</td>")
                .Append("<td>").Append(E(Waited(now - joined))).Append("</td>")
                .Append("<td>").Append(E(checks.StillNeeded(page.Local))).Append("</td>")
                .Append("<td>").Append(checks.NextCheck is { } next ? E(page.Local(next)) : "None").Append("</td></tr>\n");
        }

        var main = new StringBuilder("<h1>Waiting list</h1>\n");
        if (waiting.Count == 0)
        {
            main.Append("<p id=\"no-referrals\">Nobody is waiting for a place.</p>\n");
        }
        else
        {
            main.Append("<p>").Append(Count(waiting.Count, "referral is", "referrals are"))
                .Append(" waiting for a place: highest risk first, then longest waiting. The referrer is asked at intervals whether support is still needed, and answers on the referral's status page. Times are UK time.</p>\n")
                .Append(StaffLayout.ScrollingTable("waiting-caption",
                    "<table id=\"waiting-list\">\n<caption id=\"waiting-caption\">Referrals waiting for a place, in the order places will be offered</caption>\n"
                    + "<thead><tr><th scope=\"col\">Reference</th><th scope=\"col\">Area</th><th scope=\"col\">Risk</th><th scope=\"col\">Received</th><th scope=\"col\">Waiting since</th><th scope=\"col\">Time waited</th><th scope=\"col\">Still needed?</th><th scope=\"col\">Next check</th></tr></thead>\n"
                    + $"<tbody>\n{rows}</tbody>\n</table>\n"));
        }

        return StaffLayout.Page(context, antiforgery, "Waiting list", main.ToString());
    }

    /// <summary>POST /staff/cases/{reference}/accept.</summary>
    public static Task<IResult> AcceptAsync(string reference, HttpContext context, IAntiforgery antiforgery, ReferralWorkflowStore store, ReferralStore referrals,
        ReferralCommands commands, AllocationService allocation, TimeProvider clock, IOptions<IntakeOptions> intake, CancellationToken cancellationToken) =>
        new Step(reference, context, antiforgery, store, referrals, commands, allocation, clock, intake.Value, cancellationToken)
            .RunAsync("accepted", "The referral cannot be accepted now", (form, actor, at) => (new ReferralCommand.Accept(actor, at), [], CasePageExtras.None));

    /// <summary>POST /staff/cases/{reference}/request-information.</summary>
    public static Task<IResult> RequestInformationAsync(string reference, HttpContext context, IAntiforgery antiforgery, ReferralWorkflowStore store, ReferralStore referrals,
        ReferralCommands commands, AllocationService allocation, TimeProvider clock, IOptions<IntakeOptions> intake, CancellationToken cancellationToken) =>
        new Step(reference, context, antiforgery, store, referrals, commands, allocation, clock, intake.Value, cancellationToken)
            .RunAsync("information-requested", "More information cannot be asked for now", (form, actor, at) => (new ReferralCommand.RequestInformation(actor, at), [], CasePageExtras.None));

    /// <summary>POST /staff/cases/{reference}/decline: the reason and its category, both required.</summary>
    public static Task<IResult> DeclineAsync(string reference, HttpContext context, IAntiforgery antiforgery, ReferralWorkflowStore store, ReferralStore referrals,
        ReferralCommands commands, AllocationService allocation, TimeProvider clock, IOptions<IntakeOptions> intake, CancellationToken cancellationToken) =>
        new Step(reference, context, antiforgery, store, referrals, commands, allocation, clock, intake.Value, cancellationToken)
            .RunAsync("declined", "The referral cannot be declined now", (form, actor, at) =>
            {
                var input = form is null ? null : DeclineInput.From(form);
                var extras = new CasePageExtras { Decline = input };
                if (input is null)
                {
                    return (null, [], extras);
                }

                var (reason, category, errors) = input.Parse();
                return (errors.Count > 0 ? null : new ReferralCommand.Decline(actor, at, reason, category), errors, extras);
            });

    /// <summary>
    /// POST /staff/cases/{reference}/allocate: the manager's choice, as the API's allocation takes it:
    /// the place is taken first (over capacity if need be) and given back if the allocation is refused.
    /// </summary>
    public static Task<IResult> AllocateAsync(string reference, HttpContext context, IAntiforgery antiforgery, ReferralWorkflowStore store, ReferralStore referrals,
        ReferralCommands commands, AllocationService allocation, TimeProvider clock, IOptions<IntakeOptions> intake, CancellationToken cancellationToken) =>
        new Step(reference, context, antiforgery, store, referrals, commands, allocation, clock, intake.Value, cancellationToken)
            .RunAsync("allocated", "The case cannot be allocated now", (form, actor, at) =>
            {
                var input = form is null ? null : AllocateInput.From(form);
                var extras = new CasePageExtras { Allocate = input };
                if (input is null)
                {
                    return (null, [], extras);
                }

                if (string.IsNullOrEmpty(input.PractitionerId))
                {
                    return (null, [new FieldError(AllocateInput.PractitionerField, "Choose the practitioner to allocate to.")], extras);
                }

                return (new ReferralCommand.Allocate(actor, at, input.PractitionerId, Manual: true), [], extras);
            });

    private static string CaseLink(string reference) => $"<a href=\"{E(StaffLayout.CasePath(reference))}\">{E(reference)}</a>";

    private static string Count(int n, string one, string many) => n.ToString(CultureInfo.InvariantCulture) + " " + (n == 1 ? one : many);

    private static string Waited(TimeSpan waited) => (int)waited.TotalDays switch
    {
        0 => "Less than a day",
        1 => "1 day",
        var days => days.ToString(CultureInfo.InvariantCulture) + " days",
    };

    /// <summary>
    /// One posted step on one case: what every form of the manager's shares (the case open to the
    /// caller, the antiforgery check, the idempotency key, the command through
    /// <see cref="ReferralCommands"/>, and each outcome as a page), the form's own part given as
    /// a function from the posted form to the command, its field errors and the form to send back.
    /// </summary>
    private sealed record Step(
        string Reference, HttpContext Context, IAntiforgery Antiforgery, ReferralWorkflowStore Store, ReferralStore Referrals, ReferralCommands Commands,
        AllocationService Allocation, TimeProvider Clock, IntakeOptions Intake, CancellationToken CancellationToken)
    {
        public async Task<IResult> RunAsync(
            string recordedWord, string cannotNow, Func<IFormCollection?, Actor, DateTimeOffset, (ReferralCommand? Command, IReadOnlyList<FieldError> Errors, CasePageExtras Extras)> read)
        {
            var loaded = await StaffPages.LoadOpenToCallerAsync(Reference, Context, Store, CancellationToken);
            if (loaded is null)
            {
                return StaffPages.NotFoundPage(Context, Antiforgery);
            }

            var actor = ActorHeaders.From(Context.Request)!;
            var form = await ReferralPages.ReadFormAsync(Context, 8192, CancellationToken);
            var (command, errors, extras) = read(form, actor, Clock.GetUtcNow());
            if (form is null || !await Antiforgery.IsRequestValidAsync(Context))
            {
                // An expired page: the typed values come back, so nothing is lost.
                return await PageAsync(loaded.State, extras with { Notice = "The page had expired. Check the details and send the form again." }, StatusCodes.Status400BadRequest);
            }

            if (errors.Count > 0 || command is null)
            {
                return await PageAsync(loaded.State, extras with { FieldErrors = errors }, StatusCodes.Status400BadRequest);
            }

            string? commandKey = form[FirstContactInput.CommandKeyField];
            commandKey = IdempotencyKeys.Check(commandKey) is null ? commandKey : null;
            var outcome = new StepOutcome(Context, Antiforgery, Store, loaded, PageAsync);
            return await outcome.SendAsync(
                () => command is ReferralCommand.Allocate allocate
                    ? Commands.AllocateByHandAsync(Reference, allocate, commandKey, CancellationToken)
                    : Commands.SendAsync(Reference, command, commandKey, CancellationToken),
                recordedWord,
                new StepWords("This step is being recorded. It can take a moment: open the case again shortly to see it.", cannotNow, "You cannot take this step on this case"),
                AllocateInput.PractitionerField,
                error => extras with
                {
                    Decline = extras.Decline is null ? null : extras.Decline with { CommandKey = Guid.NewGuid().ToString("N") },
                    Allocate = extras.Allocate is null ? null : extras.Allocate with { CommandKey = Guid.NewGuid().ToString("N") },
                    FieldErrors = [error],
                },
                CancellationToken);
        }

        private async Task<IResult> PageAsync(ReferralState state, CasePageExtras extras, int status)
        {
            extras = extras with { Candidates = await CandidatesAsync(Context, state, Allocation, CancellationToken) };
            return await StaffPages.CasePageAsync(Context, Antiforgery, state, Referrals, Store, Clock, Intake, extras, status, CancellationToken);
        }
    }
}
