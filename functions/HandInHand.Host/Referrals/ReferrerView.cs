using HandInHand.Domain.Lifecycle;
using HandInHand.Infrastructure.Referrals;

namespace HandInHand.Host.Referrals;

/// <summary>A referral as its referrer sees it, with the step that decides which actions fit.</summary>
public sealed record ReferrerView(ReferralRecord Record, Stage Stage)
{
    /// <summary>The service asked for more information and waits for it.</summary>
    public bool CanAnswerInformationRequest => Stage == Stage.AwaitingInformation;

    /// <summary>The referral waits for a place; the service asks the referrer from time to time whether it is still needed.</summary>
    public bool CanConfirmStillNeeded => Stage == Stage.WaitingList;

    /// <summary>The referral is still open, so it can be withdrawn.</summary>
    public bool CanWithdraw => Stage is Stage.AwaitingTriage or Stage.AwaitingInformation or Stage.AwaitingAllocation or Stage.WaitingList or Stage.Allocated or Stage.Active;
}
