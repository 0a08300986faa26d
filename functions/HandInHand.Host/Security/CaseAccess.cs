using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Referrals;
using HandInHand.Domain.Workflow;

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
        ArgumentNullException.ThrowIfNull(state);
        return IsOpenTo(actor, state.Pathway, state.PractitionerId);
    }

    /// <summary>The same rule for a referral's card on the case board.</summary>
    public static bool IsOpenTo(Actor actor, CaseCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        return IsOpenTo(actor, card.Pathway, card.PractitionerId);
    }

    private static bool IsOpenTo(Actor actor, ServicePathway pathway, string? practitionerId)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor.Role switch
        {
            Role.Manager => true,
            Role.Practitioner => practitionerId == actor.Id,
            Role.Panel => pathway == ServicePathway.TrustedRelationships,
            _ => false,
        };
    }
}
