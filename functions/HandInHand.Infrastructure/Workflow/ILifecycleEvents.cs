using HandInHand.Domain.Lifecycle;

namespace HandInHand.Infrastructure.Workflow;

/// <summary>
/// A referral's move from one stage to another, as partner systems hear of it: the reference (not
/// personal), the two stage names and the committed step's time (UTC). <see cref="MessageId"/> is the
/// outbox item's id, so a re-published announcement is the same message.
/// </summary>
public sealed record StageChanged(string MessageId, string Reference, Stage From, Stage To, DateTimeOffset At);

/// <summary>Where lifecycle integration events go. Each announcement may be published more than once; receivers de-duplicate on its id.</summary>
public interface ILifecycleEvents
{
    Task PublishAsync(StageChanged change, CancellationToken cancellationToken = default);
}

/// <summary>No integration events (the in-process transport): the announcement is dropped on purpose.</summary>
public sealed class NoLifecycleEvents : ILifecycleEvents
{
    public Task PublishAsync(StageChanged change, CancellationToken cancellationToken = default) => Task.CompletedTask;
}
