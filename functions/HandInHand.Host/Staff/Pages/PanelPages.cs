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
/// The Trusted Relationships panel's pages (PRODUCT.md §6: a panel, not one manager, decides and
/// allocates): its queue, and on a case page its decision and the allocation to a practitioner and
/// a strand. The rules are the API's: the route's policy, then <see cref="CaseAccess"/>; the panel's
/// routes concern Trusted Relationships referrals only, so any other is answered as one that does
/// not exist; each step goes through <see cref="ReferralCommands"/> and the decider says who may take it.
/// </summary>
public static class PanelPages
{
    /// <summary>The panel's queue.</summary>
    public const string QueuePath = "/staff/panel";

    private const string DecisionAction = "panel-decision";
    private const string AllocationAction = "strand-allocation";

    /// <summary>Where the panel's decision on a case is posted.</summary>
    public static string DecisionPath(string reference) => StaffLayout.CasePath(reference) + "/" + DecisionAction;

    /// <summary>Where the allocation of a case to a strand is posted.</summary>
    public static string AllocationPath(string reference) => StaffLayout.CasePath(reference) + "/" + AllocationAction;

    public static IEndpointRouteBuilder MapPanelPages(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup(StaffLayout.HomePath).ExcludeFromDescription();
        pages.MapGet("panel", ShowQueueAsync).RequireAuthorization(Policies.Triage);
        pages.MapPost("cases/{reference}/" + DecisionAction, RecordDecisionAsync).RequireAuthorization(Policies.CaseWork).WithMetadata(new AuditedAttribute());
        pages.MapPost("cases/{reference}/" + AllocationAction, AllocateAsync).RequireAuthorization(Policies.CaseWork).WithMetadata(new AuditedAttribute());
        return app;
    }

    /// <summary>What the case page says after each of the panel's steps, by the word its query carries.</summary>
    internal static IReadOnlyDictionary<string, string> Notices { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [DecisionAction] = "The panel's decision is recorded.",
        [AllocationAction] = "Allocated to a strand.",
    };

    /// <summary>
    /// GET /staff/panel: the Trusted Relationships referrals that wait for the panel, read from the
    /// case board's panel view (those referrals only): first those waiting for its decision (or for the information it asked for), oldest
    /// first, then those accepted and waiting to be allocated to a strand.
    /// </summary>
    public static async Task<IResult> ShowQueueAsync(
        HttpContext context, IAntiforgery antiforgery, CaseBoard board, TimeProvider clock, IOptions<IntakeOptions> intake, CancellationToken cancellationToken)
    {
        var actor = ActorHeaders.From(context.Request)!;
        var decisions = new List<CaseCard>();
        var allocations = new List<CaseCard>();
        await foreach (var card in board.ForPanelAsync(CaseBoard.PanelStages, cancellationToken))
        {
            if (card.Pathway == ServicePathway.TrustedRelationships && CaseAccess.IsOpenTo(actor, card))
            {
                (card.Stage is Stage.AwaitingTriage or Stage.AwaitingInformation ? decisions : allocations).Add(card);
            }
        }

        var page = new CasePage(TimeZoneInfo.FindSystemTimeZoneById(intake.Value.TimeZone), clock.GetUtcNow(), string.Empty, string.Empty);
        var main = new StringBuilder("<h1>Panel queue</h1>\n<p>Trusted Relationships referrals waiting for the panel. Times are UK time.</p>\n")
            .Append("<h2 id=\"panel-decisions\">Waiting for the panel's decision</h2>\n");
        Table(main, page, "decisions", "Referrals for the panel to decide, oldest first", [.. decisions.OrderBy(c => c.ReceivedAt)],
            "Decide by", c => c.Deadline(TimerKind.TriageDeadline), "No referral is waiting for the panel's decision.");
        main.Append("<h2 id=\"panel-allocations\">Accepted: waiting to be allocated to a strand</h2>\n");
        Table(main, page, "allocations", "Accepted referrals to allocate, oldest first", [.. allocations.OrderBy(c => c.ReceivedAt)],
            "First contact due", c => c.Deadline(TimerKind.FirstContactDeadline), "No accepted referral is waiting to be allocated.");
        return StaffLayout.Page(context, antiforgery, "Panel queue", main.ToString());
    }

    private static void Table(StringBuilder main, CasePage page, string id, string caption, IReadOnlyList<CaseCard> cards, string deadline, Func<CaseCard, DateTimeOffset?> due, string empty)
    {
        if (cards.Count == 0)
        {
            main.Append("<p id=\"no-").Append(id).Append("\">").Append(E(empty)).Append("</p>\n");
            return;
        }

        var rows = new StringBuilder();
        foreach (var c in cards)
        {
            rows.Append("<tr><th scope=\"row\"><a href=\"").Append(E(StaffLayout.CasePath(c.Reference))).Append("\">").Append(E(c.Reference)).Append("</a></th>")
                .Append("<td>").Append(E(PlainWords.Of(c.Stage))).Append("</td>")
                .Append("<td>").Append(E(Capital(PlainWords.Of(c.RiskLevel)))).Append("</td>")
                .Append("<td>").Append(E(c.Region)).Append("</td>")
                .Append("<td>").Append(E(page.Local(c.ReceivedAt))).Append("</td>")
                .Append("<td>").Append(due(c) is { } at ? E(page.Local(at)) : "None").Append("</td></tr>\n");
        }

        main.Append(StaffLayout.ScrollingTable($"{id}-caption",
            $"<table id=\"{id}\">\n<caption id=\"{id}-caption\">{E(caption)}</caption>\n<thead><tr><th scope=\"col\">Reference</th><th scope=\"col\">Stage</th><th scope=\"col\">Risk</th><th scope=\"col\">Area</th><th scope=\"col\">Received</th><th scope=\"col\">{E(deadline)}</th></tr></thead>\n<tbody>\n{rows}</tbody>\n</table>\n"));
    }

    /// <summary>
    /// The case page's panel section, for a panel member on a Trusted Relationships case: filled in
    /// here when the page is shown as it is, or kept as a POST handler rendered it (with its errors).
    /// </summary>
    internal static async Task<CasePageExtras> WithPanelSectionAsync(HttpContext context, IAntiforgery antiforgery, ReferralState state, ReferralRecord? referral, CasePageExtras extras, CancellationToken cancellationToken)
    {
        if (extras.PanelSection is not null || ActorHeaders.From(context.Request)?.Role != Role.Panel || state.Pathway != ServicePathway.TrustedRelationships)
        {
            return extras;
        }

        // Reached from the shared case page, whose signature the other staff pages share: the
        // practitioner lists come from the request's services rather than one more parameter there.
        var services = context.RequestServices;
        var candidates = state.Stage is Stage.AwaitingAllocation or Stage.WaitingList
            ? await CandidatesAsync(services.GetRequiredService<PractitionerDirectory>(), cancellationToken)
            : [];
        var tokens = antiforgery.GetAndStoreTokens(context);
        var html = new PanelCaseSection(tokens.FormFieldName, tokens.RequestToken!).Render(state, referral, extras.PanelDecision, extras.StrandAllocation, extras.Errors, candidates);
        return extras with { PanelSection = html };
    }

    /// <summary>POST /staff/cases/{reference}/panel-decision: accept, ask for more information, record that it came, or decline with a reason and category.</summary>
    public static async Task<IResult> RecordDecisionAsync(
        string reference, HttpContext context, IAntiforgery antiforgery, ReferralWorkflowStore store, ReferralStore referrals, ReferralCommands commands,
        TimeProvider clock, IOptions<IntakeOptions> intake, CancellationToken cancellationToken)
    {
        var loaded = await LoadTrustedRelationshipsCaseAsync(reference, context, store, cancellationToken);
        if (loaded is null)
        {
            return StaffPages.NotFoundPage(context, antiforgery);
        }

        var form = await ReferralPages.ReadFormAsync(context, 8192, cancellationToken);
        var input = form is null ? null : PanelDecisionInput.From(form);
        var page = new Outcome(context, antiforgery, store, referrals, clock, intake.Value, loaded, DecisionAction, "The panel's decision");
        if (form is null || !await antiforgery.IsRequestValidAsync(context))
        {
            return await page.ExpiredAsync(new CasePageExtras { PanelDecision = input }, cancellationToken);
        }

        var (command, errors) = input!.ToCommand(ActorHeaders.From(context.Request)!, clock.GetUtcNow());
        if (command is null)
        {
            return await page.InvalidAsync(new CasePageExtras(null, null, errors) { PanelDecision = input }, cancellationToken);
        }

        var key = IdempotencyKeys.Check(input.CommandKey) is null ? input.CommandKey : null;
        return await page.SendAsync(
            () => commands.SendAsync(reference, command, key, cancellationToken),
            error => new CasePageExtras(null, null, [error]) { PanelDecision = input with { CommandKey = Guid.NewGuid().ToString("N") } },
            cancellationToken);
    }

    /// <summary>
    /// POST /staff/cases/{reference}/strand-allocation: the practitioner and the strand. As the API's
    /// allocation does, the practitioner's place is taken first and given back if the decider refuses.
    /// </summary>
    public static async Task<IResult> AllocateAsync(
        string reference, HttpContext context, IAntiforgery antiforgery, ReferralWorkflowStore store, ReferralStore referrals, ReferralCommands commands,
        PractitionerDirectory practitioners, TimeProvider clock, IOptions<IntakeOptions> intake, CancellationToken cancellationToken)
    {
        var loaded = await LoadTrustedRelationshipsCaseAsync(reference, context, store, cancellationToken);
        if (loaded is null)
        {
            return StaffPages.NotFoundPage(context, antiforgery);
        }

        var form = await ReferralPages.ReadFormAsync(context, 8192, cancellationToken);
        var input = form is null ? null : StrandAllocationInput.From(form);
        var page = new Outcome(context, antiforgery, store, referrals, clock, intake.Value, loaded, AllocationAction, "The allocation");
        if (form is null || !await antiforgery.IsRequestValidAsync(context))
        {
            return await page.ExpiredAsync(new CasePageExtras { StrandAllocation = input }, cancellationToken);
        }

        var active = (await practitioners.ListAsync(cancellationToken)).Where(p => p.Active).Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        var (practitionerId, strand, errors) = input!.Parse(active);
        if (errors.Count > 0)
        {
            return await page.InvalidAsync(new CasePageExtras(null, null, errors) { StrandAllocation = input }, cancellationToken);
        }

        var actor = ActorHeaders.From(context.Request)!;
        var key = IdempotencyKeys.Check(input.CommandKey) is null ? input.CommandKey : null;
        return await page.SendAsync(
            () => commands.AllocateByHandAsync(reference, new ReferralCommand.Allocate(actor, clock.GetUtcNow(), practitionerId!, Manual: true, strand), key, cancellationToken),
            error => new CasePageExtras(null, null, [error]) { StrandAllocation = input with { CommandKey = Guid.NewGuid().ToString("N") } },
            cancellationToken);
    }

    private static async Task<IReadOnlyList<PanelCaseSection.Candidate>> CandidatesAsync(PractitionerDirectory directory, CancellationToken cancellationToken)
    {
        return [.. (await directory.ListWithCaseloadsAsync(cancellationToken)).Where(c => c.Practitioner.Active).Select(c => new PanelCaseSection.Candidate(c.Practitioner, c.Held))];
    }

    /// <summary>The case when it is a Trusted Relationships referral open to the caller; null otherwise, all alike.</summary>
    private static async Task<LoadedReferral?> LoadTrustedRelationshipsCaseAsync(string reference, HttpContext context, ReferralWorkflowStore store, CancellationToken cancellationToken)
    {
        var loaded = await StaffPages.LoadOpenToCallerAsync(reference, context, store, cancellationToken);
        return loaded?.State.Pathway == ServicePathway.TrustedRelationships ? loaded : null;
    }

    private static string Capital(string words) => words.Length == 0 ? words : char.ToUpperInvariant(words[0]) + words[1..];

    /// <summary>How a panel form's outcome is shown: the case page again, with a notice or the errors, or the case after the step.</summary>
    private sealed class Outcome(
        HttpContext context, IAntiforgery antiforgery, ReferralWorkflowStore store, ReferralStore referrals, TimeProvider clock, IntakeOptions intake,
        LoadedReferral loaded, string action, string what)
    {
        /// <summary>An expired page: the values come back, so nothing is lost.</summary>
        public Task<IResult> ExpiredAsync(CasePageExtras extras, CancellationToken cancellationToken) =>
            ShowAsync(loaded.State, extras with { Notice = $"The page had expired. Check the details and send {what.ToLowerInvariant()} again." }, StatusCodes.Status400BadRequest, cancellationToken);

        public Task<IResult> InvalidAsync(CasePageExtras extras, CancellationToken cancellationToken) =>
            ShowAsync(loaded.State, extras, StatusCodes.Status400BadRequest, cancellationToken);

        public Task<IResult> SendAsync(Func<Task> send, Func<FieldError, CasePageExtras> invalid, CancellationToken cancellationToken) =>
            new StepOutcome(context, antiforgery, store, loaded, (state, extras, status) => ShowAsync(state, extras, status, cancellationToken)).SendAsync(
                send,
                action,
                new StepWords(
                    $"{what} is being recorded. It can take a moment: open the case again shortly to see it.",
                    $"{what} cannot be recorded now",
                    "You cannot take this step on this case",
                    "Your role may not take this step. On a Trusted Relationships referral the panel decides and allocates."),
                "body",
                invalid,
                cancellationToken);

        private Task<IResult> ShowAsync(ReferralState state, CasePageExtras extras, int status, CancellationToken cancellationToken) =>
            StaffPages.CasePageAsync(context, antiforgery, state, referrals, store, clock, intake, extras, status, cancellationToken);
    }
}
