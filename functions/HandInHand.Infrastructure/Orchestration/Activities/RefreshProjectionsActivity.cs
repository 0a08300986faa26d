using HandInHand.Domain.Workflow;
using HandInHand.Infrastructure.Reports;
using HandInHand.Infrastructure.Workflow;

namespace HandInHand.Infrastructure.Orchestration.Activities;

/// <summary>
/// Recomputes the referral's report figures and its card on the staff case board from its recorded
/// state: a late or repeated run writes the same, newest projections.
/// </summary>
public sealed class RefreshProjectionsActivity(ReportProjection reports, CaseBoard board) : EffectActivity<Effect.RefreshProjections>
{
    protected override async Task<EffectResult> CarryOutAsync(EffectWork work, Effect.RefreshProjections effect)
    {
        ArgumentNullException.ThrowIfNull(work);
        await reports.RefreshAsync(work.Reference).ConfigureAwait(false);
        await board.RefreshAsync(work.Reference).ConfigureAwait(false);
        return EffectResult.None;
    }
}
