using HandInHand.Domain.Lifecycle;

namespace HandInHand.Infrastructure.Orchestration;

/// <summary>
/// What one generation of a referral's orchestration starts from, and hands to the next through
/// ContinueAsNew: the referral's state and everything the loop must not forget. Nothing in it
/// comes from outside the orchestration's own history, so replaying a generation decides alike.
/// </summary>
/// <param name="Version">The number of events in the referral's history.</param>
/// <param name="Settings">The lifecycle clocks the decider uses, as the last recorded step read them from configuration.</param>
/// <param name="FollowUps">Commands the orchestration gave itself (an allocation found for it), worked before any new command.</param>
/// <param name="PendingEffects">Effects whose activities failed past their retries: carried out again before anything else.</param>
/// <param name="Awaiting">A command whose caller waits for its outcome until its follow-ups are done, with that outcome.</param>
/// <param name="RecentCommandIds">The last commands applied, so that the same command raised twice is applied once.</param>
/// <param name="Resume">
/// A run started again from the stored state after its orchestration failed: before anything else
/// it takes the store's last step again, carrying out that step's effects and answering its command
/// (what the failed run may not have finished), as a run that fell behind does (<see cref="FailedOrchestrations"/>).
/// </param>
public sealed record ReferralRun(
    string Reference,
    ReferralState State,
    long Version,
    LifecycleSettings Settings,
    IReadOnlyList<CommandEnvelope> FollowUps,
    IReadOnlyList<EffectWork> PendingEffects,
    CommandOutcome? Awaiting,
    IReadOnlyList<string> RecentCommandIds,
    bool Resume = false)
{
    /// <summary>How many command ids a referral remembers; an older repeat is answered from its stored outcome before it is raised.</summary>
    public const int RememberedCommands = 64;

    /// <summary>The first generation of a new referral: its first command is the form's arrival.</summary>
    public static ReferralRun Start(ReferralCommand.Receive receive, LifecycleSettings settings)
    {
        ArgumentNullException.ThrowIfNull(receive);
        return new(receive.Reference, ReferralState.Initial, 0, settings, [new CommandEnvelope(null, receive, Answer: false)], [], null, []);
    }

    /// <summary>
    /// Whether the referral's lifecycle is over: its record was erased and nothing it set off is
    /// still to do. Then the orchestration ends instead of continuing, so that its records in the
    /// task hub can be purged (<see cref="FinishedOrchestrations"/>).
    /// </summary>
    public bool IsFinished => State.ErasedAt is not null && State.Timers.IsEmpty && FollowUps.Count == 0 && PendingEffects.Count == 0 && Awaiting is null;

    public ReferralRun Remember(string? commandId) =>
        commandId is null ? this : this with { RecentCommandIds = [.. RecentCommandIds.Append(commandId).TakeLast(RememberedCommands)] };
}
