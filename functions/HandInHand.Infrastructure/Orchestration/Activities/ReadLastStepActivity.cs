using HandInHand.Domain.Lifecycle;
using HandInHand.Infrastructure.Workflow;
using Microsoft.DurableTask;
using Microsoft.Extensions.Options;

namespace HandInHand.Infrastructure.Orchestration.Activities;

/// <summary>
/// For a run started again after its orchestration failed: the store's last step with the state
/// before it, in <see cref="StepRecorded.Instead"/> (null when no step is recorded), and the
/// lifecycle settings as configured now. It writes nothing.
/// </summary>
public sealed class ReadLastStepActivity(ReferralWorkflowStore store, IOptionsMonitor<LifecycleSettings> lifecycle) : ReferralActivity<string, StepRecorded>
{
    protected override async Task<StepRecorded> WorkAsync(TaskActivityContext context, string input)
    {
        ArgumentException.ThrowIfNullOrEmpty(input);
        return new StepRecorded(lifecycle.CurrentValue, await store.LastStepAsync(input).ConfigureAwait(false));
    }
}
