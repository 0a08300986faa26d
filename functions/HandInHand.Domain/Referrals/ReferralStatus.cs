using HandInHand.Domain.Lifecycle;

namespace HandInHand.Domain.Referrals;

/// <summary>Where a referral is, as its referrer may see it: coarser than the lifecycle's stages, and saying nothing about the young person.</summary>
public enum ReferralStatus
{
    /// <summary>Received and waiting for triage.</summary>
    Received,
    /// <summary>The service asked the referrer for more information.</summary>
    InformationNeeded,
    /// <summary>Accepted; waiting for a practitioner (possibly on the waiting list).</summary>
    Accepted,
    /// <summary>A practitioner is working with the young person.</summary>
    Allocated,
    Closed,
    Declined,
    Withdrawn,
}

/// <summary>Maps lifecycle stages to what a referrer is told.</summary>
public static class ReferralStatuses
{
    public static ReferralStatus ForStage(Stage stage) => stage switch
    {
        Stage.None or Stage.AwaitingTriage => ReferralStatus.Received,
        Stage.AwaitingInformation => ReferralStatus.InformationNeeded,
        Stage.AwaitingAllocation or Stage.WaitingList => ReferralStatus.Accepted,
        Stage.Allocated or Stage.Active => ReferralStatus.Allocated,
        Stage.Closed => ReferralStatus.Closed,
        Stage.Declined => ReferralStatus.Declined,
        Stage.Withdrawn => ReferralStatus.Withdrawn,
        _ => throw new ArgumentOutOfRangeException(nameof(stage), $"Stage {stage} has no referrer status."),
    };
}
