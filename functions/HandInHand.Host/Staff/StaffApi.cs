using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Workflow;
using HandInHand.Host.Security;
using HandInHand.Host.Web;
using HandInHand.Infrastructure.Orchestration;
using HandInHand.Infrastructure.Workflow;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HandInHand.Host.Staff;

/// <summary>
/// The manager's "action needed" views and the practitioner directory. The lists of referrals read
/// the case board (<see cref="CaseBoard"/>), the waiting-list index and the caseload ledger, never
/// every referral's state (docs/benchmark.md, "Issue 14: staff views", times them). The panel
/// shares the views it needs to triage and allocate (triage queue, waiting list, practitioners),
/// each narrowed to the referrals <see cref="CaseAccess"/> opens to it; the rest are the manager's.
/// </summary>
public static class StaffApi
{

    public static RouteGroupBuilder MapStaffApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("api/staff").WithTags("Staff");
        group.MapGet("triage-queue", GetTriageQueueAsync).RequireAuthorization(Policies.Triage);
        group.MapGet("due", GetDueAsync).RequireAuthorization(Policies.Management).WithQueryParameter("on", "2026-11-23", "The day (YYYY-MM-DD, UTC) whose end the deadlines are due by; default today.");
        group.MapGet("waiting-list", GetWaitingListAsync).RequireAuthorization(Policies.Triage);
        group.MapGet("caseloads", GetCaseloadsAsync).RequireAuthorization(Policies.Management);
        group.MapGet("practitioners", GetPractitionersAsync).RequireAuthorization(Policies.Triage);
        group.MapPut("practitioners/{id}", PutPractitionerAsync).RequireAuthorization(Policies.Management).Accepts<PractitionerRequest>("application/json");
        group.MapGet("notifications", GetNotificationsAsync).RequireAuthorization(Policies.Management).WithQueryParameter("reference", "HH-2026-00042", "Only this referral's notifications, by its reference (HH-2026-00042).");
        return group;
    }

    /// <summary>Referrals waiting for triage (or for the referrer's information), oldest first, with their deadlines.</summary>
    public static async Task<Ok<IReadOnlyList<QueueItem>>> GetTriageQueueAsync(HttpRequest request, CaseBoard board, CancellationToken cancellationToken)
    {
        var caller = ActorHeaders.From(request);
        var items = new List<QueueItem>();
        await foreach (var c in board.AtStagesAsync([Stage.AwaitingTriage, Stage.AwaitingInformation], cancellationToken))
        {
            if (caller is null || !CaseAccess.IsOpenTo(caller, c))
            {
                continue;
            }

            items.Add(new QueueItem(c.Reference, c.Stage.ToString(), c.RiskLevel.ToString(), c.Region, c.ReceivedAt,
                c.Deadline(TimerKind.TriageDeadline), c.Deadline(TimerKind.FirstContactDeadline), c.PossibleDuplicates));
        }

        IReadOnlyList<QueueItem> ordered = [.. items.OrderBy(i => i.ReceivedAt)];
        return TypedResults.Ok(ordered);
    }

    /// <summary>GET /api/staff/due?on=YYYY-MM-DD: deadlines due by the end of that day (default today, UTC) and those already missed.</summary>
    public static async Task<Results<Ok<IReadOnlyList<DueItem>>, ValidationProblem>> GetDueAsync(HttpRequest request, CaseBoard board, TimeProvider clock, CancellationToken cancellationToken)
    {
        var query = QueryValues.Of(request);
        var on = query.Date("on", DateOnly.MinValue, DateOnly.MaxValue);
        if (!query.IsValid)
        {
            return Problems.Fields([.. query.Errors]);
        }

        return TypedResults.Ok(await ListDueAsync(board, clock, on, cancellationToken));
    }

    /// <summary>Deadlines due by the end of <paramref name="on"/> (default today, UTC) and those already missed.</summary>
    public static async Task<IReadOnlyList<DueItem>> ListDueAsync(CaseBoard board, TimeProvider clock, DateOnly? on, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var day = on ?? DateOnly.FromDateTime(now.UtcDateTime);

        // The last day of the calendar has no next day to start: everything is due by then.
        var endOfDay = day == DateOnly.MaxValue ? DateTimeOffset.MaxValue : new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var items = new List<DueItem>();
        await foreach (var s in board.DueBeforeAsync(endOfDay, cancellationToken))
        {
            foreach (var (kind, due) in s.Timers.Where(t => CaseBoard.Escalations.Contains(t.Key) && t.Value < endOfDay))
            {
                items.Add(new DueItem(s.Reference, kind.ToString(), due, Overdue: due <= now, s.PractitionerId));
            }

            // Deadlines already missed (their escalation has fired) stay on the list until met.
            foreach (var (kind, due) in s.Missed)
            {
                items.Add(new DueItem(s.Reference, kind.ToString(), due, Overdue: true, s.PractitionerId));
            }
        }

        return [.. items.OrderBy(i => i.DueAt)];
    }

    /// <summary>The waiting list in the order places will be offered, with time waited.</summary>
    public static async Task<Ok<IReadOnlyList<WaitingItem>>> GetWaitingListAsync(
        HttpRequest request, WaitingListIndex waitingList, CaseBoard board, ReferralWorkflowStore store, TimeProvider clock, CancellationToken cancellationToken) =>
        TypedResults.Ok(await ListWaitingAsync(ActorHeaders.From(request), waitingList, board, store, clock, cancellationToken));

    /// <summary>The waiting list open to <paramref name="caller"/>, from the index, in the order places will be offered.</summary>
    internal static async Task<IReadOnlyList<WaitingItem>> ListWaitingAsync(
        Actor? caller, WaitingListIndex waitingList, CaseBoard board, ReferralWorkflowStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();

        // The panel sees only Trusted Relationships referrals: those on the waiting list are the
        // panel view's waiting range on the case board, and the index is read only when there are any.
        if (caller is { Role: Role.Panel })
        {
            var panel = new Dictionary<string, CaseCard>(StringComparer.Ordinal);
            await foreach (var card in board.ForPanelAsync([Stage.WaitingList], cancellationToken))
            {
                panel[card.Reference] = card;
            }

            IReadOnlyList<WaitingEntry> listed = panel.Count == 0 ? [] : await waitingList.ListAsync(cancellationToken: cancellationToken);
            return [.. listed.Where(e => panel.TryGetValue(e.Reference, out var card) && CaseAccess.IsOpenTo(caller, card)).Select(e => Item(e, now))];
        }

        // The index does not hold the pathway; the manager sees every entry, anyone else only the
        // referrals open to them, told by the waiting list's cards on the case board (a referral's
        // pathway never changes, so a card answers as its state would). Only a referral whose card
        // is not on the board yet (its refresh runs beside the step that placed it here) is read
        // from its state.
        var reading = waitingList.ListAsync(cancellationToken: cancellationToken);
        var cards = new Dictionary<string, CaseCard>(StringComparer.Ordinal);
        if (caller is { Role: not Role.Manager })
        {
            await foreach (var card in board.AtStagesAsync([Stage.WaitingList], cancellationToken))
            {
                cards[card.Reference] = card;
            }
        }

        var open = new List<WaitingEntry>();
        foreach (var entry in await reading)
        {
            if (caller is { Role: Role.Manager }
                || (caller is not null && (cards.TryGetValue(entry.Reference, out var card)
                    ? CaseAccess.IsOpenTo(caller, card)
                    : await store.LoadAsync(entry.Reference, cancellationToken) is { } loaded && CaseAccess.IsOpenTo(caller, loaded.State))))
            {
                open.Add(entry);
            }
        }

        return [.. open.Select(e => Item(e, now))];
    }

    /// <summary>
    /// The waiting referrals open to <paramref name="caller"/> as the case board shows them, in the
    /// order places will be offered: one view partition (the panel's waiting range for the panel),
    /// for the waiting-list page, which shows the referrer checks the cards hold. A referral whose
    /// card is not on the board yet (its refresh runs beside the step that placed it on the list)
    /// appears with that refresh, as it does on every other staff view.
    /// </summary>
    internal static async Task<IReadOnlyList<CaseCard>> WaitingCardsAsync(Actor? caller, CaseBoard board, CancellationToken cancellationToken)
    {
        var cards = new List<CaseCard>();
        var reading = caller is { Role: Role.Panel } ? board.ForPanelAsync([Stage.WaitingList], cancellationToken) : board.AtStagesAsync([Stage.WaitingList], cancellationToken);
        await foreach (var card in reading)
        {
            if (caller is { Role: Role.Manager } || (caller is not null && CaseAccess.IsOpenTo(caller, card)))
            {
                cards.Add(card);
            }
        }

        return [.. WaitingOrder.Sort(cards, c => c.RiskLevel, c => c.ReceivedAt, c => c.Reference)];
    }

    private static WaitingItem Item(WaitingEntry e, DateTimeOffset now) => new(e.Reference, e.Region, e.RiskLevel.ToString(), e.ReceivedAt, e.JoinedAt, now - e.JoinedAt);

    /// <summary>Each practitioner's caseload against capacity.</summary>
    public static async Task<Ok<IReadOnlyList<CaseloadItem>>> GetCaseloadsAsync(PractitionerDirectory practitioners, CaseloadLedger caseloads, CancellationToken cancellationToken)
    {
        // The whole ledger in one query (it holds only taken places, each of which the list shows),
        // rather than a query per practitioner.
        var held = await caseloads.ListAllAsync(cancellationToken);
        var items = new List<CaseloadItem>();
        foreach (var p in await practitioners.ListAsync(cancellationToken))
        {
            var places = held.GetValueOrDefault(p.Id) ?? [];
            items.Add(new CaseloadItem(p.Id, p.DisplayName, p.Regions, p.Capacity, places.Count, [.. places.Select(x => x.Reference).Order(StringComparer.Ordinal)]));
        }

        IReadOnlyList<CaseloadItem> result = items;
        return TypedResults.Ok(result);
    }

    public static async Task<Ok<IReadOnlyList<Practitioner>>> GetPractitionersAsync(PractitionerDirectory practitioners, CancellationToken cancellationToken)
    {
        return TypedResults.Ok(await practitioners.ListAsync(cancellationToken));
    }

    /// <summary>Adds or changes a practitioner; a raised capacity is offered to the waiting list at once.</summary>
    public static async Task<Results<Ok<Practitioner>, ValidationProblem, ProblemHttpResult>> PutPractitionerAsync(
        string id, HttpRequest request, PractitionerDirectory practitioners, AllocationService allocation, ReferralCommands commands, TimeProvider clock, CancellationToken cancellationToken)
    {
        // Read here rather than bound, so that a body that does not fit is a field error like any other.
        var (body, problem) = await JsonBody.ReadAsync<PractitionerRequest>(request, 16 * 1024, Referrals.ReferralCommandApi.Json, "This field has the wrong type or is not part of a practitioner.", cancellationToken);
        switch (problem)
        {
            case ValidationProblem invalid:
                return invalid;
            case ProblemHttpResult other:
                return other;
        }

        var errors = CheckPractitioner(id, body!.DisplayName, body.Regions, body.Capacity);
        if (errors.Count > 0)
        {
            return Problems.Fields([.. errors]);
        }

        var practitioner = new Practitioner(id, body.DisplayName!.Trim(), [.. body.Regions!], body.Capacity!.Value, body.Active ?? true);
        await SavePractitionerAsync(practitioner, practitioners, allocation, commands, clock, cancellationToken);
        return TypedResults.Ok(practitioner);
    }

    /// <summary>What is wrong with a practitioner's details, field by field (the API's and the staff page's one set of rules).</summary>
    internal static List<Domain.Referrals.FieldError> CheckPractitioner(string? id, string? displayName, IReadOnlyList<string>? regions, int? capacity)
    {
        var errors = new List<Domain.Referrals.FieldError>();
        if (string.IsNullOrWhiteSpace(id) || id.Length > 64 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            errors.Add(new("id", "A practitioner id is 1 to 64 letters, digits, '-' or '_'."));
        }

        if (string.IsNullOrWhiteSpace(displayName) || displayName.Length > 100)
        {
            errors.Add(new("displayName", "Give a display name of 1 to 100 characters."));
        }
        else if (Domain.Referrals.DisguisingCharacters.AnyInName(displayName))
        {
            // Staff pick practitioners by this name: it must read as it is stored.
            errors.Add(new("displayName", "The display name contains invisible or direction-changing characters. Type it again without them."));
        }

        if (regions is null || regions.Count == 0)
        {
            errors.Add(new("regions", "Give at least one region."));
        }

        if (capacity is null or < 0 or > 100)
        {
            errors.Add(new("capacity", "Capacity is a whole number from 0 to 100."));
        }

        return errors;
    }

    /// <summary>Saves a practitioner and offers a raised capacity to the waiting list at once.</summary>
    internal static async Task SavePractitionerAsync(
        Practitioner practitioner, PractitionerDirectory practitioners, AllocationService allocation, ReferralCommands commands, TimeProvider clock, CancellationToken cancellationToken)
    {
        await practitioners.SaveAsync(practitioner, cancellationToken);
        await OfferPlacesAsync(practitioner, allocation, commands, clock, cancellationToken);
    }

    /// <summary>
    /// Adds a practitioner whose staff id is not taken, and offers their places to the waiting list at
    /// once; false, with nothing changed, when someone already has that staff id.
    /// </summary>
    internal static async Task<bool> AddPractitionerAsync(
        Practitioner practitioner, PractitionerDirectory practitioners, AllocationService allocation, ReferralCommands commands, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!await practitioners.AddAsync(practitioner, cancellationToken))
        {
            return false;
        }

        await OfferPlacesAsync(practitioner, allocation, commands, clock, cancellationToken);
        return true;
    }

    private static async Task OfferPlacesAsync(Practitioner practitioner, AllocationService allocation, ReferralCommands commands, TimeProvider clock, CancellationToken cancellationToken)
    {
        foreach (var offer in await allocation.OfferAsync(practitioner, cancellationToken))
        {
            try
            {
                await commands.SendAsync(offer.Reference, new ReferralCommand.Allocate(Actor.System, clock.GetUtcNow(), offer.PractitionerId, Manual: false), cancellationToken: cancellationToken);
            }
            catch (Exception ex) when (ex is CommandRejectedException or CommandPendingException)
            {
                // Moved on meanwhile (its orchestration gives the place back), or still queued: the
                // practitioner's record is saved either way.
            }
        }
    }

    /// <summary>GET /api/staff/notifications[?reference=HH-2026-00042]: the notifications the orchestrations sent.</summary>
    public static async Task<Results<Ok<IReadOnlyList<DeliveredNotification>>, ValidationProblem>> GetNotificationsAsync(HttpRequest request, NotificationLog log, CancellationToken cancellationToken)
    {
        var query = QueryValues.Of(request);
        var reference = query.Reference("reference");
        if (!query.IsValid)
        {
            return Problems.Fields([.. query.Errors]);
        }

        return TypedResults.Ok(await log.ListAsync(reference, cancellationToken));
    }
}

public sealed record QueueItem(string Reference, string Stage, string RiskLevel, string Region, DateTimeOffset ReceivedAt, DateTimeOffset? TriageDueAt, DateTimeOffset? FirstContactDueAt, IReadOnlyList<string> PossibleDuplicates);

public sealed record DueItem(string Reference, string Deadline, DateTimeOffset DueAt, bool Overdue, string? PractitionerId);

public sealed record WaitingItem(string Reference, string Region, string RiskLevel, DateTimeOffset ReceivedAt, DateTimeOffset JoinedAt, TimeSpan Waited);

public sealed record CaseloadItem(string PractitionerId, string DisplayName, IReadOnlyList<string> Regions, int Capacity, int Held, IReadOnlyList<string> References);

public sealed class PractitionerRequest
{
    public string? DisplayName { get; init; }
    public List<string>? Regions { get; init; }
    public int? Capacity { get; init; }
    public bool? Active { get; init; }
}
