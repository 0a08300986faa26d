using HandInHand.Domain.Lifecycle;
using HandInHand.Infrastructure.Reports;
using HandInHand.Infrastructure.Workflow;

namespace HandInHand.Host.Reports;

/// <summary>
/// <c>HandInHand.Host report-rebuild</c>: recomputes the report figures of every referral from its
/// state, for referrals received before the projections existed or after a change to what they
/// count. Safe to run at any time and more than once: each refresh replaces, never adds.
/// </summary>
public static class ReportRebuildCommand
{
    public const string Name = "report-rebuild";

    public static async Task<bool> TryRunAsync(string[] args, WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(app);
        if (!args.Contains(Name, StringComparer.Ordinal))
        {
            return false;
        }

        var store = app.Services.GetRequiredService<ReferralWorkflowStore>();
        var projection = app.Services.GetRequiredService<ReportProjection>();
        var count = 0;
        await foreach (var state in store.QueryByStageAsync(Enum.GetValues<Stage>()))
        {
            await projection.RefreshAsync(state.Reference);
            count++;
        }

        await Console.Out.WriteLineAsync($"Report figures recomputed for {count} referrals.");
        return true;
    }
}
