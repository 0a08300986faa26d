using System.Collections.Immutable;
using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Referrals;

namespace HandInHand.Domain.Workflow;

/// <summary>
/// What the staff views (the triage queue, my cases, due and overdue, the digests) show of an open
/// referral: its stage, deadlines and holder, and nothing that identifies the young person. The
/// case board keeps one per open referral, under each view it belongs to, so that a view reads
/// only the rows it shows.
/// </summary>
public sealed record CaseCard(
    string Reference,
    Stage Stage,
    ServicePathway Pathway,
    string Region,
    RiskLevel RiskLevel,
    DateTimeOffset ReceivedAt,
    string? PractitionerId,
    DateTimeOffset? WaitingSince,
    DateTimeOffset? NextReviewDue,
    ImmutableSortedDictionary<TimerKind, DateTimeOffset> Timers,
    ImmutableSortedDictionary<TimerKind, DateTimeOffset> Missed,
    IReadOnlyList<string> PossibleDuplicates,
    int StillNeededAsked = 0,
    DateTimeOffset? StillNeededAskedAt = null,
    DateTimeOffset? StillNeededConfirmedAt = null)
{
    /// <summary>The card of an open referral; none for one that is closed, declined, withdrawn or erased.</summary>
    public static CaseCard? Of(ReferralState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return !state.IsOpen || state.ErasedAt is not null
            ? null
            : new CaseCard(
                state.Reference, state.Stage, state.Pathway, state.Region, state.CurrentRisk, state.ReceivedAt, state.PractitionerId,
                state.WaitingSince, state.NextReviewDue, state.Timers, state.Missed, state.PossibleDuplicates,
                state.StillNeededAsked, state.StillNeededAskedAt, state.StillNeededConfirmedAt);
    }

    /// <summary>Whether two cards (either may be none) show the same: a step that changes nothing on the board leaves it alone.</summary>
    public static bool Same(CaseCard? a, CaseCard? b) =>
        a is null || b is null
            ? a is null && b is null
            : a with { Timers = b.Timers, Missed = b.Missed, PossibleDuplicates = b.PossibleDuplicates } == b
              && a.Timers.SequenceEqual(b.Timers) && a.Missed.SequenceEqual(b.Missed)
              && a.PossibleDuplicates.SequenceEqual(b.PossibleDuplicates, StringComparer.Ordinal);

    /// <summary>A deadline still to meet: its timer is set, or it fired (was missed) and has not been met since.</summary>
    public DateTimeOffset? Deadline(TimerKind kind) => Deadline(Timers, Missed, kind);

    /// <summary>The rule for a deadline still to meet, from a referral's timers and missed deadlines (its state's or its card's).</summary>
    public static DateTimeOffset? Deadline(IReadOnlyDictionary<TimerKind, DateTimeOffset> timers, IReadOnlyDictionary<TimerKind, DateTimeOffset> missed, TimerKind kind)
    {
        ArgumentNullException.ThrowIfNull(timers);
        ArgumentNullException.ThrowIfNull(missed);
        return timers.TryGetValue(kind, out var due) || missed.TryGetValue(kind, out due) ? due : null;
    }

    /// <summary>True while a practitioner holds the case.</summary>
    public bool IsHeld => Stage is Stage.Allocated or Stage.Active && PractitionerId is not null;
}
