using HandInHand.Domain.Workflow;

namespace HandInHand.Infrastructure.Orchestration;

/// <summary>The names the orchestration calls its activities by; every host registers exactly these.</summary>
public static class ReferralActivityNames
{
    public const string Orchestrator = "ReferralOrchestrator";
    public const string RecordStep = "RecordStep";
    public const string RecordOutcome = "RecordOutcome";
    public const string ReadLastStep = "ReadLastStep";
    public const string ReleaseReservation = "ReleaseReservation";

    /// <summary>Each kind of effect has its own activity, named for the effect.</summary>
    public static string Of(Effect effect)
    {
        ArgumentNullException.ThrowIfNull(effect);
        return effect.GetType().Name;
    }

    /// <summary>Every effect kind the reactor can produce, by the name of its activity.</summary>
    public static IReadOnlyList<string> Effects { get; } =
        [.. typeof(Effect).GetNestedTypes().Where(t => t.IsSubclassOf(typeof(Effect))).Select(t => t.Name).Order(StringComparer.Ordinal)];
}
