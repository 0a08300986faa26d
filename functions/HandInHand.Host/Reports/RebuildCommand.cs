using HandInHand.Domain.Lifecycle;
using HandInHand.Infrastructure.Reports;
using HandInHand.Infrastructure.Workflow;

namespace HandInHand.Host.Reports;

/// <summary>
/// Recomputes a projection of the referrals from their state, for referrals recorded before the
/// projection (or a view of it) existed, or after a change to what it holds. Safe to run at any
/// time and more than once: each refresh replaces, never adds.
/// <list type="bullet">
/// <item><c>HandInHand.Host report-rebuild</c>: every referral's report figures.</item>
/// <item><c>HandInHand.Host board-rebuild</c>: every open referral's rows on the case board, which
/// the staff views read (run it once after a deploy that adds a view).</item>
/// </list>
/// </summary>
public static class RebuildCommand
{
    public const string Reports = "report-rebuild";
    public const string Board = "board-rebuild";

    public static async Task<bool> TryRunAsync(string[] args, WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(app);
        var names = args.Where(a => a is Reports or Board).Distinct(StringComparer.Ordinal).ToList();
        foreach (var name in names)
        {
            await Console.Out.WriteLineAsync(await RunAsync(app.Services, name, CancellationToken.None));
        }

        return names.Count > 0;
    }

    /// <summary>Runs the rebuild called <paramref name="name"/> and says what it did.</summary>
    public static async Task<string> RunAsync(IServiceProvider services, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        var store = services.GetRequiredService<ReferralWorkflowStore>();
        IReadOnlyCollection<Stage> stages;
        Func<string, CancellationToken, Task> refresh;
        string done;
        switch (name)
        {
            case Reports:
                stages = Enum.GetValues<Stage>();
                refresh = services.GetRequiredService<ReportProjection>().RefreshAsync;
                done = "Report figures recomputed";
                break;
            case Board:
                stages = CaseBoard.OpenStages;
                refresh = services.GetRequiredService<CaseBoard>().RefreshAsync;
                done = "Case board rows refreshed";
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(name), name, "There is no such rebuild.");
        }

        var count = 0;
        await foreach (var state in store.QueryByStageAsync(stages, cancellationToken))
        {
            await refresh(state.Reference, cancellationToken);
            count++;
        }

        return $"{done} for {count} referrals.";
    }
}
