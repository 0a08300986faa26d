namespace HandInHand.Domain.Referrals;

/// <summary>Where a referral is in its lifecycle, as a referrer may see it.</summary>
public enum ReferralStatus
{
    /// <summary>Received and waiting for triage.</summary>
    Received,
}
