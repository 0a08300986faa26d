namespace HandInHand.Infrastructure.Orchestration;

/// <summary>A caseload place taken for a referral whose allocation was then refused: give it back unless the referral holds it.</summary>
public sealed record ReleaseReservationWork(string Reference, string PractitionerId);
