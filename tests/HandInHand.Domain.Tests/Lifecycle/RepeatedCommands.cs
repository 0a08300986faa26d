using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Referrals;
using static HandInHand.Domain.Tests.Lifecycle.Cast;
using static HandInHand.Domain.Tests.Lifecycle.Moments;
using static HandInHand.Domain.Tests.Lifecycle.Spec;
using static HandInHand.Domain.Tests.Lifecycle.TheReferral;
using C = HandInHand.Domain.Lifecycle.ReferralCommand;

namespace HandInHand.Domain.Tests.Lifecycle;

/// <summary>
/// A repeat is a no-op only for someone who could have given the command: anyone else is refused
/// as before, so an empty answer never tells an outsider what step a referral has reached.
/// </summary>
public class RepeatedCommands
{
    public static TheoryData<string> RepeatsByOutsiders() =>
    [
        "Receive by the manager",
        "Accept by the referrer",
        "Decline by a practitioner",
        "RequestInformation by the referrer",
        "ReceiveInformation by a practitioner",
        "Allocate by the practitioner it names",
        "PlaceOnWaitingList by the referrer",
        "RecordFirstContact by another practitioner",
        "Close by another practitioner",
        "Withdraw by a practitioner",
    ];

    [Theory]
    [MemberData(nameof(RepeatsByOutsiders))]
    public void ARepeatFromSomeoneWhoMayNotGiveTheCommandIsStillRefused(string repeat)
    {
        var (stage, command) = repeat switch
        {
            "Receive by the manager" => (Stage.AwaitingTriage, (ReferralCommand)(Commands.Receive() with { By = Manager })),
            "Accept by the referrer" => (Stage.AwaitingAllocation, new C.Accept(TheReferrer, Later)),
            "Decline by a practitioner" => (Stage.Declined, new C.Decline(Practitioner, Later, "outside the service's area", NotTakenReason.Criteria)),
            "RequestInformation by the referrer" => (Stage.AwaitingInformation, new C.RequestInformation(TheReferrer, Later)),
            "ReceiveInformation by a practitioner" => (Stage.AwaitingTriage, new C.ReceiveInformation(Practitioner, Later)),
            "Allocate by the practitioner it names" => (Stage.Allocated, new C.Allocate(Practitioner, Later, "p-1", Manual: true)),
            "PlaceOnWaitingList by the referrer" => (Stage.WaitingList, new C.PlaceOnWaitingList(TheReferrer, Later)),
            "RecordFirstContact by another practitioner" => (Stage.Active, new C.RecordFirstContact(OtherPractitioner, Later, ContactedAt, Consent: true)),
            "Close by another practitioner" => (Stage.Closed, new C.Close(OtherPractitioner, Later, "goals met", Wheel(7), RiskLevel.Standard)),
            "Withdraw by a practitioner" => (Stage.Withdrawn, new C.Withdraw(Practitioner, Later, "support found elsewhere", NotTakenReason.NoLongerNeeded)),
            _ => throw new ArgumentOutOfRangeException(nameof(repeat), repeat, null),
        };

        Given(Histories.AtStage(stage))
            .When(command)
            .ThenRejected(RejectionKind.NotAllowed);
    }
}
