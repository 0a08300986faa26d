using HandInHand.Domain.Lifecycle;

namespace HandInHand.Infrastructure.Orchestration;

/// <summary>A decided step for the record: the events from <paramref name="FromVersion"/> on and the state after them.</summary>
/// <param name="Answer">The outcome of the command a caller waits for, recorded in the same transaction when the step already is its answer.</param>
public sealed record StepRecord(string Reference, long FromVersion, ReferralState State, IReadOnlyList<ReferralEvent> Events, CommandOutcome? Answer = null)
{
    public long Version => FromVersion + Events.Count;
}
