using HandInHand.Domain.Lifecycle;

namespace HandInHand.Infrastructure.Orchestration;

/// <summary>A decided step for the record: the events from <paramref name="FromVersion"/> on and the state after them.</summary>
public sealed record StepRecord(string Reference, long FromVersion, ReferralState State, IReadOnlyList<ReferralEvent> Events)
{
    public long Version => FromVersion + Events.Count;
}
