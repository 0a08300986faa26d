using HandInHand.Domain.Lifecycle;

namespace HandInHand.Host.Security;

/// <summary>
/// Which referrals a signed-in staff member may see and act on, on top of the route's policy: the
/// manager every referral of the service; a practitioner only the cases allocated to them; the
/// panel only the Trusted Relationships referrals it decides (PRODUCT.md §6). Anything else is
/// answered as a referral that does not exist.
/// </summary>
public static class CaseAccess
{
    public static bool IsOpenTo(Actor actor, ReferralState state)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(state);
        return actor.Role switch
        {
            Role.Manager => true,
            Role.Practitioner => state.PractitionerId == actor.Id,
            Role.Panel => state.Pathway == ServicePathway.TrustedRelationships,
            _ => false,
        };
    }
}
