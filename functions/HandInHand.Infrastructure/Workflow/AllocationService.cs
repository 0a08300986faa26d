using HandInHand.Domain.Lifecycle;
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
    ReferralWorkflow workflow,
    TimeProvider clock,
    IOptions<WorkflowOptions> options,
    ILogger<AllocationService> logger)
{
    /// <summary>Allocates an accepted referral, or places it on the waiting list. Returns the references whose outbox may have grown.</summary>
    public async Task<IReadOnlyList<string>> AllocateAutomaticallyAsync(string reference, CancellationToken cancellationToken = default)
    {
        var loaded = await store.LoadAsync(reference, cancellationToken).ConfigureAwait(false);
        if (loaded is null || loaded.State.Stage != Stage.AwaitingAllocation)
        {
            return [];
        }

        var state = loaded.State;
        var candidates = (await practitioners.ListAsync(cancellationToken).ConfigureAwait(false))
            .Where(p => p.Active && p.Regions.Contains(state.Region, StringComparer.OrdinalIgnoreCase))
            .ToList();
        var loads = new List<(Practitioner Practitioner, int Free)>();
        foreach (var p in candidates)
        {
            loads.Add((p, p.Capacity - await HeldPlacesAsync(p, cancellationToken).ConfigureAwait(false)));
        }

        foreach (var (p, _) in loads.Where(l => l.Free > 0).OrderByDescending(l => l.Free).ThenBy(l => l.Practitioner.Id, StringComparer.Ordinal))
        {
            if (await TryAllocateAsync(reference, p, cancellationToken).ConfigureAwait(false))
            {
                return [reference];
            }
        }

        await RunAsync(reference, new ReferralCommand.PlaceOnWaitingList(Actor.System, clock.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        return [reference];
    }

    /// <summary>The manager's choice of practitioner, whatever the automatic choice would be; it may exceed capacity.</summary>
    public async Task<WorkflowOutcome> AllocateManuallyAsync(string reference, ReferralCommand.Allocate command, string? commandKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        var practitioner = await practitioners.GetAsync(command.PractitionerId, cancellationToken).ConfigureAwait(false)
            ?? throw new CommandRejectedException(RejectionKind.Invalid, "There is no practitioner with that id.", "practitionerId");
        await caseloads.ReserveOverCapacityAsync(practitioner.Id, reference, command.At, cancellationToken).ConfigureAwait(false);
        try
        {
            return await workflow.ExecuteAsync(reference, command, commandKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is CommandRejectedException or ReferralNotFoundException)
        {
            await ReleaseUnlessHeldAsync(practitioner.Id, reference, cancellationToken).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The practitioner's place held by <paramref name="reference"/> is free: offer their free places to the waiting list.</summary>
    public async Task<IReadOnlyList<string>> ReleaseAndOfferAsync(string practitionerId, string reference, CancellationToken cancellationToken = default)
    {
        await ReleaseUnlessHeldAsync(practitionerId, reference, cancellationToken).ConfigureAwait(false);
        var practitioner = await practitioners.GetAsync(practitionerId, cancellationToken).ConfigureAwait(false);
        return practitioner is null ? [] : await OfferAsync(practitioner, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Fills a practitioner's free places from the waiting lists of their regions, best first.</summary>
    public async Task<IReadOnlyList<string>> OfferAsync(Practitioner practitioner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(practitioner);
        var changed = new List<string>();
        if (!practitioner.Active)
        {
            return changed;
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
                // The index lags the referral (its leave effect is still in an outbox): skip it.
                continue;
            }

            if (await TryAllocateAsync(entry.Reference, practitioner, cancellationToken).ConfigureAwait(false))
            {
                changed.Add(entry.Reference);
            }
        }

        return changed;
    }

    private async Task<bool> TryAllocateAsync(string reference, Practitioner practitioner, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (!await caseloads.TryReserveAsync(practitioner.Id, reference, practitioner.Capacity, now, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        try
        {
            var outcome = await RunAsync(reference, new ReferralCommand.Allocate(Actor.System, now, practitioner.Id, Manual: false), cancellationToken).ConfigureAwait(false);
            if (outcome.State.PractitionerId == practitioner.Id && outcome.State.Stage is Stage.Allocated or Stage.Active)
            {
                LogAllocated(logger, reference, practitioner.Id);
                return true;
            }
        }
        catch (CommandRejectedException)
        {
            // The referral moved on (withdrawn, allocated by someone else): give the place back.
        }

        await ReleaseUnlessHeldAsync(practitioner.Id, reference, cancellationToken).ConfigureAwait(false);
        return false;
    }

    private Task<WorkflowOutcome> RunAsync(string reference, ReferralCommand command, CancellationToken cancellationToken) =>
        workflow.ExecuteAsync(reference, command, cancellationToken: cancellationToken);

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

    private async Task ReleaseUnlessHeldAsync(string practitionerId, string reference, CancellationToken cancellationToken)
    {
        if (!await IsHeldAsync(practitionerId, reference, cancellationToken).ConfigureAwait(false))
        {
            await caseloads.ReleaseAsync(practitionerId, reference, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<bool> IsHeldAsync(string practitionerId, string reference, CancellationToken cancellationToken)
    {
        var loaded = await store.LoadAsync(reference, cancellationToken).ConfigureAwait(false);
        return loaded is not null && loaded.State.PractitionerId == practitionerId && loaded.State.Stage is Stage.Allocated or Stage.Active;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Referral {Reference} allocated to practitioner {PractitionerId}")]
    private static partial void LogAllocated(ILogger logger, string reference, string practitionerId);
}
