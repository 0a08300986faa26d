using HandInHand.Domain.Lifecycle;

namespace HandInHand.Domain.Tests.Lifecycle;

/// <summary>
/// Drives the decider the way the engine does: decide, append, evolve; and fires a timer at the due
/// time the state holds, as the dispatcher would.
/// </summary>
internal sealed class Journey(LifecycleSettings? settings = null)
{
    private readonly ReferralDecider _decider = new(settings ?? new LifecycleSettings());
    private readonly List<ReferralEvent> _events = [];

    public ReferralState State { get; private set; } = ReferralState.Initial;

    public IReadOnlyList<ReferralEvent> Events => _events;

    public Journey Then(ReferralCommand command)
    {
        var decided = _decider.Decide(command, State);
        _events.AddRange(decided);
        State = State.Evolve(decided);
        return this;
    }

    public Journey Then(IEnumerable<ReferralCommand> commands)
    {
        foreach (var command in commands)
        {
            Then(command);
        }

        return this;
    }

    /// <summary>The timer of this kind fires at its due time.</summary>
    public Journey TimerComesDue(TimerKind kind)
    {
        Assert.True(State.Timers.TryGetValue(kind, out var due), $"No {kind} timer is set.");
        return Then(new ReferralCommand.FireTimer(Actor.System, due, kind, due));
    }
}
