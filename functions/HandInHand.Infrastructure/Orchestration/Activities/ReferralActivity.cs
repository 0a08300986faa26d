using Microsoft.DurableTask;

namespace HandInHand.Infrastructure.Orchestration.Activities;

/// <summary>
/// Every activity of the referral orchestration: it takes its input under a call id and answers
/// under the same id, so that the orchestration takes no other call's answer for its own.
/// </summary>
public abstract class ReferralActivity<TInput, TOutput> : TaskActivity<ActivityCall<TInput>, ActivityReply<TOutput>>
{
    public sealed override async Task<ActivityReply<TOutput>> RunAsync(TaskActivityContext context, ActivityCall<TInput> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new ActivityReply<TOutput>(input.CallId, await WorkAsync(context, input.Input).ConfigureAwait(false));
    }

    /// <summary>The activity's own work on its input.</summary>
    protected abstract Task<TOutput> WorkAsync(TaskActivityContext context, TInput input);
}
