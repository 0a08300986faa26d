using HandInHand.Domain.Lifecycle;

namespace HandInHand.Domain.Workflow;

/// <summary>
/// Something to do outside a referral once a step is committed. Effects are written to the
/// referral's outbox in the same transaction as the step, and carried out (at least once, each
/// idempotently) by the dispatcher.
/// </summary>
public abstract record Effect
{
    /// <summary>Send a notification.</summary>
    public sealed record Notify(NotificationKind Kind, Recipient Recipient) : Effect;

    /// <summary>Find a practitioner with capacity, or put the referral on the waiting list.</summary>
    public sealed record AllocateAutomatically : Effect;

    /// <summary>Enter the referral in its region's waiting list, ordered by risk and arrival.</summary>
    public sealed record JoinWaitingList(string Region, Referrals.RiskLevel RiskLevel, DateTimeOffset ReceivedAt) : Effect;

    /// <summary>Remove the referral from its region's waiting list.</summary>
    public sealed record LeaveWaitingList(string Region, Referrals.RiskLevel RiskLevel, DateTimeOffset ReceivedAt) : Effect;

    /// <summary>The practitioner no longer holds the referral: free the caseload place and offer it to the waiting list.</summary>
    public sealed record ReleaseCaseload(string PractitionerId) : Effect;

    /// <summary>Enter the referral in the manager's retention review queue.</summary>
    public sealed record AwaitRetentionReview(DateTimeOffset DueAt) : Effect;

    /// <summary>Take the referral out of the retention review queue (reopened or erased).</summary>
    public sealed record EndRetentionReview : Effect;

    /// <summary>Remove the referral's personal data from every table outside its workflow state.</summary>
    public sealed record ErasePersonalData : Effect;

    /// <summary>
    /// Tell partner systems that the referral moved from one step to another (an integration event:
    /// the reference, the two stage names and the step's time; never anything about the young person).
    /// </summary>
    public sealed record AnnounceStageChange(Stage From, Stage To) : Effect;

    /// <summary>
    /// What the projections show of the referral changed: its figures for the reports (recompute
    /// its report facts and the daily totals of the dates they touch) or its card on the staff case
    /// board. Carries nothing: the handler reads the state as it is then, so a late or repeated
    /// delivery writes the same, newest projections.
    /// </summary>
    public sealed record RefreshProjections : Effect;
}

/// <summary>
/// The reactor: which effects a step's events call for. Pure, like the decider: the same events
/// in the same states always give the same effects.
/// </summary>
public static class Reactor
{
    public static IReadOnlyList<Effect> React(ReferralState before, IReadOnlyList<ReferralEvent> events)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(events);
        var effects = new List<Effect>();
        var state = before;
        foreach (var e in events)
        {
            var next = state.Evolve(e);
            switch (e)
            {
                case ReferralEvent.NotificationQueued n:
                    effects.Add(new Effect.Notify(n.Kind, n.Recipient));
                    break;
                // On the Trusted Relationships pathway the panel allocates, to a strand: nothing automatic.
                case ReferralEvent.Accepted when state.Pathway == ServicePathway.HandInHand:
                    effects.Add(new Effect.AllocateAutomatically());
                    break;
                case ReferralEvent.Reopened r when r.ReturnsTo == Stage.AwaitingAllocation && state.Pathway == ServicePathway.HandInHand:
                    effects.Add(new Effect.AllocateAutomatically());
                    break;
                case ReferralEvent.TimerFired { Kind: TimerKind.RetentionReview } t:
                    effects.Add(new Effect.AwaitRetentionReview(t.DueAt));
                    break;
                case ReferralEvent.Erased:
                    effects.Add(new Effect.ErasePersonalData());
                    break;
            }

            if (state.RetentionReviewDue && !next.RetentionReviewDue)
            {
                effects.Add(new Effect.EndRetentionReview());
            }

            if (state.Stage != Stage.WaitingList && next.Stage == Stage.WaitingList)
            {
                effects.Add(new Effect.JoinWaitingList(next.Region, next.CurrentRisk, next.ReceivedAt));
            }
            else if (state.Stage == Stage.WaitingList && next.Stage != Stage.WaitingList)
            {
                effects.Add(new Effect.LeaveWaitingList(state.Region, state.CurrentRisk, state.ReceivedAt));
            }

            var heldBefore = state.Stage is Stage.Allocated or Stage.Active ? state.PractitionerId : null;
            var heldAfter = next.Stage is Stage.Allocated or Stage.Active ? next.PractitionerId : null;
            if (heldBefore is not null && heldBefore != heldAfter)
            {
                effects.Add(new Effect.ReleaseCaseload(heldBefore));
            }

            if (next.Stage != state.Stage)
            {
                effects.Add(new Effect.AnnounceStageChange(state.Stage, next.Stage));
            }

            state = next;
        }

        if (!SameFigures(before, state) || !CaseCard.Same(CaseCard.Of(before), CaseCard.Of(state)))
        {
            effects.Add(new Effect.RefreshProjections());
        }

        return effects;
    }

    private static bool SameFigures(ReferralState before, ReferralState after)
    {
        var a = Reports.ReportFacts.Contributions(before);
        var b = Reports.ReportFacts.Contributions(after);
        return a.Count == b.Count && a.All(day => b.TryGetValue(day.Key, out var other) && day.Value.Count == other.Count && day.Value.All(c => other.TryGetValue(c.Key, out var v) && v == c.Value));
    }
}
