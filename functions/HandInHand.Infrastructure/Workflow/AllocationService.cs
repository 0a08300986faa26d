using HandInHand.Domain.Lifecycle;
using HandInHand.Infrastructure.Orchestration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HandInHand.Infrastructure.Workflow;

/// <summary>
/// Allocation with capacity: an accepted referral goes to a practitioner who covers its region and
/// has a free caseload place (the one with most free places; ties by id), or onto the waiting
/// list. A freed place is offered to the waiting list first: the highest-risk, longest-waiting
/// referral of a region the practitioner covers.
/// </summary>
public sealed partial class AllocationService(
    PractitionerDirectory practitioners,
    CaseloadLedger caseloads,
    WaitingListIndex waitingList,
    ReferralWorkflowStore store,
    TimeProvider clock,
    IOptions<WorkflowOptions> options,
    ILogger<AllocationService> logger)
{
    /// <summary>
    /// Takes a caseload place for an accepted referral and names its practitioner; the referral's
    /// orchestration then allocates it there. Null when no practitioner has a place: the referral
    /// goes on the waiting list. A place this referral already holds is chosen again, so a retried
    /// choice takes no second place.
    /// </summary>
    public async Task<AllocationChoice> ChooseAsync(string reference, CancellationToken cancellationToken = default)
    {
        var loaded = await store.LoadAsync(reference, cancellationToken).ConfigureAwait(false);
        if (loaded is null || loaded.State.Stage != Stage.AwaitingAllocation)
        {
            return AllocationChoice.NothingToDo;
        }

        var state = loaded.State;
        var candidates = (await practitioners.ListAsync(cancellationToken).ConfigureAwait(false))
            .Where(p => p.Active && p.Regions.Contains(state.Region, StringComparer.OrdinalIgnoreCase))
            .ToList();
        var loads = new List<(Practitioner Practitioner, int Free)>();
        foreach (var p in candidates)
        {
            var places = await caseloads.ListAsync(p.Id, cancellationToken).ConfigureAwait(false);
            if (places.Any(place => place.Reference == reference))
            {
                return new AllocationChoice.Practitioner(p.Id);
            }

            loads.Add((p, p.Capacity - await HeldPlacesAsync(p, cancellationToken).ConfigureAwait(false)));
        }

        foreach (var (p, _) in loads.Where(l => l.Free > 0).OrderByDescending(l => l.Free).ThenBy(l => l.Practitioner.Id, StringComparer.Ordinal))
        {
            if (await caseloads.TryReserveAsync(p.Id, reference, p.Capacity, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false))
            {
                LogChosen(logger, reference, p.Id);
                return new AllocationChoice.Practitioner(p.Id);
            }
        }

        return AllocationChoice.WaitingList;
    }

    /// <summary>
    /// The active practitioners as choices for a referral of <paramref name="region"/>, read only
    /// (no place is taken): those who cover the region first, then by most free places, ties by id,
    /// the order in which <see cref="ChooseAsync"/> tries them. The first is the one to suggest,
    /// even when full: a manager may allocate over capacity.
    /// </summary>
    public async Task<IReadOnlyList<AllocationCandidate>> CandidatesAsync(string region, CancellationToken cancellationToken = default)
    {
        var candidates = (await practitioners.ListWithCaseloadsAsync(cancellationToken).ConfigureAwait(false))
            .Where(c => c.Practitioner.Active)
            .Select(c => new AllocationCandidate(c.Practitioner.Id, c.Practitioner.DisplayName, c.Practitioner.Regions, c.Practitioner.Capacity, c.Held, c.Practitioner.Regions.Contains(region, StringComparer.OrdinalIgnoreCase)));

        return [.. candidates.OrderByDescending(c => c.CoversRegion).ThenByDescending(c => c.Free).ThenBy(c => c.Id, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Takes a place with <paramref name="practitionerId"/> for the manager's own choice, whatever
    /// the capacity; the allocation follows as a command, and a refused one gives the place back.
    /// </summary>
    /// <exception cref="CommandRejectedException">There is no such practitioner.</exception>
    public async Task ReserveForManualAllocationAsync(string practitionerId, string reference, CancellationToken cancellationToken = default)
    {
        var practitioner = await practitioners.GetAsync(practitionerId, cancellationToken).ConfigureAwait(false)
            ?? throw new CommandRejectedException(RejectionKind.Invalid, "There is no practitioner with that id.", "practitionerId");
        await caseloads.ReserveOverCapacityAsync(practitioner.Id, reference, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The practitioner's place held by <paramref name="reference"/> is free: offer their free places to the waiting list.</summary>
    public async Task<IReadOnlyList<AllocationOffer>> ReleaseAndOfferAsync(string practitionerId, string reference, CancellationToken cancellationToken = default)
    {
        await ReleaseUnlessHeldAsync(practitionerId, reference, cancellationToken).ConfigureAwait(false);
        var practitioner = await practitioners.GetAsync(practitionerId, cancellationToken).ConfigureAwait(false);
        return practitioner is null ? [] : await OfferAsync(practitioner, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Takes a practitioner's free places for the waiting lists of their regions, best first: the
    /// highest risk, then the longest waiting. Each offer is then sent to its referral as an
    /// allocation; one that moved on meanwhile refuses it and gives the place back.
    /// </summary>
    public async Task<IReadOnlyList<AllocationOffer>> OfferAsync(Practitioner practitioner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(practitioner);
        var offers = new List<AllocationOffer>();
        if (!practitioner.Active)
        {
            return offers;
        }

        var waiting = new List<WaitingEntry>();
        foreach (var region in practitioner.Regions)
        {
            waiting.AddRange(await waitingList.ListAsync(region, cancellationToken: cancellationToken).ConfigureAwait(false));
        }

        foreach (var entry in waiting.OrderBy(e => e.RiskLevel == Domain.Referrals.RiskLevel.High ? 0 : e.RiskLevel == Domain.Referrals.RiskLevel.Medium ? 1 : 2).ThenBy(e => e.ReceivedAt))
        {
            if (await HeldPlacesAsync(practitioner, cancellationToken).ConfigureAwait(false) >= practitioner.Capacity)
            {
                break;
            }

            var loaded = await store.LoadAsync(entry.Reference, cancellationToken).ConfigureAwait(false);
            if (loaded?.State.Stage != Stage.WaitingList)
            {
                // The index lags the referral (its leave effect has not run yet): skip it.
                continue;
            }

            if (await caseloads.TryReserveAsync(practitioner.Id, entry.Reference, practitioner.Capacity, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false))
            {
                offers.Add(new AllocationOffer(entry.Reference, practitioner.Id));
            }
        }

        return offers;
    }

    /// <summary>Gives back a place taken for <paramref name="reference"/> unless the referral holds it with that practitioner.</summary>
    public async Task ReleaseUnlessHeldAsync(string practitionerId, string reference, CancellationToken cancellationToken = default)
    {
        if (!await IsHeldAsync(practitionerId, reference, cancellationToken).ConfigureAwait(false))
        {
            await caseloads.ReleaseAsync(practitionerId, reference, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Places held, after freeing those whose referral never became (or stopped being) this practitioner's.</summary>
    private async Task<int> HeldPlacesAsync(Practitioner practitioner, CancellationToken cancellationToken)
    {
        var places = await caseloads.ListAsync(practitioner.Id, cancellationToken).ConfigureAwait(false);
        var held = 0;
        var now = clock.GetUtcNow();
        foreach (var place in places)
        {
            if (now - place.ReservedAt > options.Value.PlaceGrace && !await IsHeldAsync(practitioner.Id, place.Reference, cancellationToken).ConfigureAwait(false))
            {
                await caseloads.ReleaseAsync(practitioner.Id, place.Reference, cancellationToken).ConfigureAwait(false);
                continue;
            }

            held++;
        }

        return held;
    }

    private async Task<bool> IsHeldAsync(string practitionerId, string reference, CancellationToken cancellationToken)
    {
        var loaded = await store.LoadAsync(reference, cancellationToken).ConfigureAwait(false);
        return loaded is not null && loaded.State.PractitionerId == practitionerId && loaded.State.Stage is Stage.Allocated or Stage.Active;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Referral {Reference}: a place was taken with practitioner {PractitionerId}")]
    private static partial void LogChosen(ILogger logger, string reference, string practitionerId);
}
