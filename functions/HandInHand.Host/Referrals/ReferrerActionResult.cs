using HandInHand.Domain.Referrals;
using HandInHand.Infrastructure.Referrals;

namespace HandInHand.Host.Referrals;

/// <summary>The outcome of a referrer's action.</summary>
public abstract record ReferrerActionResult
{
    private ReferrerActionResult()
    {
    }

    /// <summary>Done (or done before); the referral as the referrer now sees it.</summary>
    public sealed record Done(ReferralRecord Referral) : ReferrerActionResult;

    /// <summary>Sent, and still queued when the wait ended: it will be applied; the referral as it stood.</summary>
    public sealed record Pending(ReferralRecord Referral) : ReferrerActionResult;

    /// <summary>No referral with that reference and code: the same answer for either, so neither is revealed.</summary>
    public sealed record NotFound : ReferrerActionResult;

    /// <summary>The request had errors; nothing changed.</summary>
    public sealed record Invalid(IReadOnlyList<FieldError> Errors) : ReferrerActionResult;

    /// <summary>The referral is not at a step where this can be done; nothing changed.</summary>
    public sealed record NotNow(ReferralRecord Referral) : ReferrerActionResult;
}
