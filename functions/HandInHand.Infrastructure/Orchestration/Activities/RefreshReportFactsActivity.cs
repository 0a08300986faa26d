using HandInHand.Domain.Workflow;
using HandInHand.Infrastructure.Reports;

namespace HandInHand.Infrastructure.Orchestration.Activities;

/// <summary>Recomputes the referral's report figures from its recorded state: a late or repeated run writes the same, newest figures.</summary>
public sealed class RefreshReportFactsActivity(ReportProjection reports) : EffectActivity<Effect.RefreshReportFacts>
{
    protected override async Task<EffectResult> CarryOutAsync(EffectWork work, Effect.RefreshReportFacts effect)
    {
        ArgumentNullException.ThrowIfNull(work);
        await reports.RefreshAsync(work.Reference).ConfigureAwait(false);
        return EffectResult.None;
    }
}
