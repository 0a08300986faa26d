namespace HandInHand.Infrastructure.Referrals;

/// <summary>The names of the tables that hold referrals (before the configured prefix).</summary>
public static class ReferralTables
{
    /// <summary>One partition per referral, keyed by its reference.</summary>
    public const string Referrals = "Referrals";

    /// <summary>One row per year: the next number of that year's reference sequence.</summary>
    public const string ReferenceCounters = "ReferenceCounters";

    /// <summary>One row per idempotency key (stored as a hash): which referral it created.</summary>
    public const string IntakeKeys = "IntakeKeys";

    public static readonly IReadOnlyList<string> All = [Referrals, ReferenceCounters, IntakeKeys];
}
