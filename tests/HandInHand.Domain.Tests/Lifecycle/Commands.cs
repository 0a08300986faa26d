using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Referrals;
using static HandInHand.Domain.Tests.Lifecycle.Cast;
using static HandInHand.Domain.Tests.Lifecycle.Moments;
using static HandInHand.Domain.Tests.Lifecycle.TheReferral;
using C = HandInHand.Domain.Lifecycle.ReferralCommand;

namespace HandInHand.Domain.Tests.Lifecycle;

/// <summary>The commands of the standard story, at the standard moments.</summary>
internal static class Commands
{
    public static C.Receive Receive(DateTimeOffset? at = null, ServicePathway pathway = ServicePathway.HandInHand, DateOnly? dateOfBirth = null, string reference = Reference) =>
        new(Actor.System, at ?? T0, reference, pathway, Region, RiskLevel.High, dateOfBirth ?? DateOfBirth, []);

    public static C.Accept Accept(Actor? by = null) => new(by ?? Manager, TriagedAt);

    public static C.RequestInformation RequestInformation() => new(Manager, TriagedAt);

    public static C.PlaceOnWaitingList PlaceOnWaitingList() => new(Manager, WaitingAt);

    public static C.Allocate AllocateAutomatically() => new(Actor.System, AllocatedAt, Practitioner.Id, false);

    public static C.RecordFirstContact RecordFirstContact(bool consent = true) => new(Practitioner, ContactRecordedAt, ContactedAt, consent);

    public static C.Close CloseAfterSupport() => new(Practitioner, ClosedAt, "goals met", Wheel(7), RiskLevel.Standard);

    /// <summary>The system fires a timer at its due time.</summary>
    public static C.FireTimer Fire(TimerKind kind, DateTimeOffset due) => new(Actor.System, due, kind, due);

    /// <summary>The commands whose decisions are <see cref="Histories.AtStage"/>.</summary>
    public static ReferralCommand[] ToReach(Stage stage) => stage switch
    {
        Stage.None => [],
        Stage.AwaitingTriage => [Receive()],
        Stage.AwaitingInformation => [Receive(), RequestInformation()],
        Stage.AwaitingAllocation => [Receive(), Accept()],
        Stage.WaitingList => [.. ToReach(Stage.AwaitingAllocation), PlaceOnWaitingList()],
        Stage.Allocated => [.. ToReach(Stage.AwaitingAllocation), AllocateAutomatically()],
        Stage.Active => [.. ToReach(Stage.Allocated), RecordFirstContact(), new C.RecordContactChannel(Practitioner, ContactRecordedAt, ContactChannel.Email, MarkedSafe: true)],
        Stage.Closed => [.. ToReach(Stage.Active), CloseAfterSupport()],
        Stage.Declined => [Receive(), new C.Decline(Manager, TriagedAt, "outside the service's area", NotTakenReason.Criteria)],
        Stage.Withdrawn => [Receive(), new C.Withdraw(TheReferrer, TriagedAt, "support found elsewhere", NotTakenReason.NoLongerNeeded)],
        _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, null),
    };
}
