using HandInHand.Domain.Lifecycle;

namespace HandInHand.Domain.Tests.Lifecycle;

/// <summary>
/// A decider specification: <c>Given(history).When(command).Then(events)</c>, or
/// <c>ThenRejected(kind)</c>. The history is folded with <see cref="ReferralState.Evolve(ReferralEvent)"/>;
/// the command is decided with the brief's default settings unless <see cref="With"/> says otherwise.
/// </summary>
internal sealed class Spec
{
    private readonly ReferralEvent[] _history;
    private LifecycleSettings _settings = new();
    private ReferralCommand? _command;

    private Spec(ReferralEvent[] history) => _history = history;

    public static Spec Given(params ReferralEvent[] history) => new(history);

    /// <summary>The state the history leads to.</summary>
    public ReferralState State => ReferralState.Initial.Evolve(_history);

    public Spec With(LifecycleSettings settings)
    {
        _settings = settings;
        return this;
    }

    public Spec When(ReferralCommand command)
    {
        _command = command;
        return this;
    }

    /// <summary>Asserts the decision is exactly these events, in this order; returns the state they lead to.</summary>
    public ReferralState Then(params ReferralEvent[] expected)
    {
        var before = State;
        var actual = Decide(before);
        var want = expected.Select(EventText.Of).ToList();
        var got = actual.Select(EventText.Of).ToList();
        if (!want.SequenceEqual(got, StringComparer.Ordinal))
        {
            var firstDifference = Enumerable.Range(0, Math.Max(want.Count, got.Count))
                .First(i => i >= want.Count || i >= got.Count || want[i] != got[i]);
            Assert.Fail(
                $"The decision differs from the specification at event {firstDifference}.{Environment.NewLine}" +
                $"Expected:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", want)}{Environment.NewLine}" +
                $"Actual:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", got)}");
        }

        return before.Evolve(actual);
    }

    /// <summary>Asserts the command is accepted and changes nothing (a repeat, or a stale timer).</summary>
    public ReferralState ThenNothingHappens() => Then();

    /// <summary>Asserts the command is refused for this reason (and, for <see cref="RejectionKind.Invalid"/>, this field).</summary>
    public CommandRejectedException ThenRejected(RejectionKind kind, string? field = null)
    {
        IReadOnlyList<ReferralEvent> events;
        try
        {
            events = Decide(State);
        }
        catch (CommandRejectedException rejected)
        {
            Assert.Equal(kind, rejected.Kind);
            Assert.Equal(field, rejected.Field);
            Assert.False(string.IsNullOrWhiteSpace(rejected.Message));
            return rejected;
        }

        Assert.Fail($"Expected a {kind} rejection, but the decider decided:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", events.Select(EventText.Of))}");
        throw new InvalidOperationException("Unreachable.");
    }

    private IReadOnlyList<ReferralEvent> Decide(ReferralState state) =>
        new ReferralDecider(_settings).Decide(_command ?? throw new InvalidOperationException("Say When(command) before Then."), state);
}
