using HandInHand.Domain.Lifecycle;
using HandInHand.Infrastructure.Workflow;

namespace HandInHand.Infrastructure.Orchestration;

/// <summary>A decided step for the record: the events from <paramref name="FromVersion"/> on and the state after them.</summary>
/// <param name="CommandId">The id of the command the step decided, if it has one (kept with the step, so that a step found recorded can be told apart).</param>
public sealed record StepRecord(string Reference, long FromVersion, ReferralState State, IReadOnlyList<ReferralEvent> Events, string? CommandId = null)
{
    public long Version => FromVersion + Events.Count;
}

/// <summary>
/// What <c>RecordStep</c> answers: the lifecycle settings for the next decision, and, when the
/// store held another step in place of the one decided, that step, which the orchestration then
/// takes as the one that happened.
/// </summary>
public sealed record StepRecorded(LifecycleSettings Settings, StoredStep? Instead = null);
