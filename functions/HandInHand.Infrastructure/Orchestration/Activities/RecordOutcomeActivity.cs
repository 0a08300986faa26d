using Microsoft.DurableTask;

namespace HandInHand.Infrastructure.Orchestration.Activities;

/// <summary>Leaves a command's outcome where its caller reads it; writing it twice writes the same row.</summary>
public sealed class RecordOutcomeActivity(CommandOutcomes outcomes) : ReferralActivity<CommandOutcome, bool>
{
    protected override async Task<bool> WorkAsync(TaskActivityContext context, CommandOutcome input)
    {
        await outcomes.RecordAsync(input).ConfigureAwait(false);
        return true;
    }
}
