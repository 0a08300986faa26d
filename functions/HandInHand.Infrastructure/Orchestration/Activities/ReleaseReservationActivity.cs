using HandInHand.Infrastructure.Workflow;
using Microsoft.DurableTask;

namespace HandInHand.Infrastructure.Orchestration.Activities;

/// <summary>Gives back a caseload place taken for a referral whose allocation it refused; giving back twice is harmless.</summary>
public sealed class ReleaseReservationActivity(AllocationService allocation) : ReferralActivity<ReleaseReservationWork, bool>
{
    protected override async Task<bool> WorkAsync(TaskActivityContext context, ReleaseReservationWork input)
    {
        ArgumentNullException.ThrowIfNull(input);
        await allocation.ReleaseUnlessHeldAsync(input.PractitionerId, input.Reference).ConfigureAwait(false);
        return true;
    }
}
