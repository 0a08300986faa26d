namespace HandInHand.Infrastructure.Workflow;

/// <summary>
/// A practitioner as a choice for one referral: whether they cover its region, and their caseload
/// against capacity (<see cref="Free"/> is zero or less when they are full).
/// </summary>
public sealed record AllocationCandidate(string Id, string DisplayName, IReadOnlyList<string> Regions, int Capacity, int Held, bool CoversRegion)
{
    public int Free => Capacity - Held;
}
