using System.Text.Json;
using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Workflow;
using HandInHand.Infrastructure.Workflow;
using Microsoft.DurableTask;

namespace HandInHand.Infrastructure.Orchestration;

/// <summary>
/// One referral's lifecycle, as one orchestration whose instance id is the reference. Each
/// generation takes one command — a follow-up it gave itself, a command raised as an event, or
/// its earliest due timer, whichever comes first — decides it with the pure decider at the
/// orchestration's own time, records the step and carries out its effects as activities, then
/// continues as new with the state it reached. The history of a generation is one step long,
/// however long the case lives.
/// </summary>
/// <remarks>
/// Orchestrator code is replayed, so it must decide alike every time: no I/O, no clock but
/// <see cref="TaskOrchestrationContext.CurrentUtcDateTime"/>, no random numbers or Guids, no
/// configuration. The decider and reactor are pure functions of the state and the command; the
/// lifecycle settings arrive in the input, read from configuration by the step-recording activity.
/// </remarks>
public sealed class ReferralOrchestrator : TaskOrchestrator<ReferralRun, string?>
{
    /// <summary>The event a command arrives by.</summary>
    public const string CommandEvent = "command";

    /// <summary>The output of an orchestration that ended: its referral's record was erased.</summary>
    public const string Finished = "erased";

    /// <summary>How long to wait before trying again effects whose activities failed past their retries.</summary>
    public static readonly TimeSpan EffectRetryDelay = TimeSpan.FromMinutes(1);

    /// <summary>How many rounds of retries an essential activity gets before the orchestration gives up.</summary>
    public const int EssentialAttempts = 60;

    /// <summary>How many answers meant for other calls one call will pass over (each comes from an attempt that died; a few at most).</summary>
    public const int MisdirectedAnswers = 8;

    private static readonly TaskOptions Retried = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 6, firstRetryInterval: TimeSpan.FromSeconds(1), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromSeconds(30)));

    public override async Task<string?> RunAsync(TaskOrchestrationContext context, ReferralRun input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var run = input;
        if (run.Resume)
        {
            run = await ResumeAsync(context, run with { Resume = false });
            return Continue(context, run);
        }

        if (run.PendingEffects.Count > 0)
        {
            await context.CreateTimer(EffectRetryDelay, CancellationToken.None);
            run = await CarryOutAsync(context, run with { PendingEffects = [] }, run.PendingEffects);
            return Continue(context, run);
        }

        CommandEnvelope? next;
        if (run.FollowUps.Count > 0)
        {
            next = run.FollowUps[0];
            run = run with { FollowUps = [.. run.FollowUps.Skip(1)] };
        }
        else
        {
            next = await NextAsync(context, run);
        }

        if (next is not null)
        {
            run = await WorkAsync(context, run, next);
        }

        return Continue(context, run);
    }

    /// <summary>The next generation; or, once an erased referral has nothing left to do, the end (its output says why).</summary>
    private static string? Continue(TaskOrchestrationContext context, ReferralRun run)
    {
        if (run.IsFinished)
        {
            return Finished;
        }

        context.ContinueAsNew(run);
        return null;
    }

    /// <summary>The next command raised, or the earliest due timer; null when a timer woke early or a command came twice.</summary>
    private static async Task<CommandEnvelope?> NextAsync(TaskOrchestrationContext context, ReferralRun run)
    {
        using var cancel = new CancellationTokenSource();
        var command = context.WaitForExternalEvent<CommandEnvelope>(CommandEvent, cancel.Token);
        KeyValuePair<TimerKind, DateTimeOffset>? due = run.State.Timers.IsEmpty ? null : run.State.Timers.MinBy(t => t.Value);
        if (due is { } timer)
        {
            var wake = context.CreateTimer(timer.Value.UtcDateTime, cancel.Token);
            var first = await Task.WhenAny(command, wake);
            // Cancel, not CancelAsync: the orchestrator's continuations must run on its own thread.
#pragma warning disable CA1849
            cancel.Cancel();
#pragma warning restore CA1849
            if (first != command)
            {
                // On Azure Storage a timer may fire up to a second early (the queue's visibility
                // delay is whole seconds): then the next generation waits out the rest.
                return Now(context) < timer.Value
                    ? null
                    : new CommandEnvelope(null, new ReferralCommand.FireTimer(Actor.System, Now(context), timer.Key, timer.Value), Answer: false);
            }
        }

        var envelope = await command;
        return envelope.CommandId is not null && run.RecentCommandIds.Contains(envelope.CommandId, StringComparer.Ordinal) ? null : envelope;
    }

    private static async Task<ReferralRun> WorkAsync(TaskOrchestrationContext context, ReferralRun run, CommandEnvelope next)
    {
        // Decided at the orchestration's time, but never before the moment the command was made
        // (the orchestration's time is the start of its current episode, which may precede the
        // request); an arrival keeps its own, the moment intake stored the form.
        var now = next.Command.At > Now(context) ? next.Command.At : Now(context);
        var command = next.Command is ReferralCommand.Receive ? next.Command : next.Command with { At = now };
        run = run.Remember(next.CommandId);
        IReadOnlyList<ReferralEvent> events;
        try
        {
            events = new ReferralDecider(run.Settings).Decide(command, run.State);
        }
        catch (CommandRejectedException refused)
        {
            if (command is ReferralCommand.Allocate { Manual: false } offered)
            {
                // A place was taken for this referral before it was told to take it; it moved on meanwhile.
                await UntilDoneAsync<bool>(context, ReferralActivityNames.ReleaseReservation, new ReleaseReservationWork(run.Reference, offered.PractitionerId));
            }

            return await AnswerAsync(context, run, next, new CommandOutcome(run.Reference, next.CommandId ?? string.Empty, run.Version, false, refused.Kind, refused.Message, refused.Field));
        }

        if (events.Count == 0)
        {
            return await AnswerAsync(context, run, next, new CommandOutcome(run.Reference, next.CommandId ?? string.Empty, run.Version, false));
        }

        var step = new StepRecord(run.Reference, run.Version, run.State.Evolve(events), events, next.CommandId);
        var recorded = await UntilDoneAsync<StepRecorded>(context, ReferralActivityNames.RecordStep, step);
        if (recorded.Instead is { } instead)
        {
            return await AdoptAsync(context, run, next, instead, recorded.Settings, now);
        }

        var effects = Reactor.React(run.State, events);
        run = run with { State = step.State, Version = step.Version, Settings = recorded.Settings };
        run = await CarryOutAsync(context, run, [.. effects.Select((e, i) => new EffectWork(run.Reference, step.Version, i, now, e))]);
        return await AnswerAsync(context, run, next, new CommandOutcome(run.Reference, next.CommandId ?? string.Empty, run.Version, true));
    }

    /// <summary>
    /// A run started again after its orchestration failed (<see cref="FailedOrchestrations"/>): it
    /// takes the store's last step as a run that fell behind does, so that what the failed run left
    /// undone of it (effects, follow-ups, the answer to its command) is done.
    /// </summary>
    private static async Task<ReferralRun> ResumeAsync(TaskOrchestrationContext context, ReferralRun run)
    {
        var last = await UntilDoneAsync<StepRecorded>(context, ReferralActivityNames.ReadLastStep, run.Reference);
        return last.Instead is { } step
            ? await AdoptAsync(context, run, next: null, step, last.Settings, Now(context))
            : run with { Settings = last.Settings };
    }

    /// <summary>
    /// The store held another step in place of the one decided, and what is recorded is what
    /// happened: the run takes that step, carries out its effects and answers its command; the
    /// command decided now goes back to the head of the queue, to be decided against the state it
    /// really meets (unless it was that same command, decided again at another moment).
    /// </summary>
    /// <remarks>
    /// Two ways lead here. An earlier attempt of this generation decided another step that was never
    /// committed (its messages went out, its history did not) while the step-recording activity it
    /// scheduled still ran: then the step starts where the run is. Or the run fell behind the store:
    /// the backend delivered the orchestration's start message again after the orchestration had
    /// moved on (it lost a race for the message, abandoned it, and met it again on a later
    /// generation, which it then replaced). Then the step is the store's last, with the state before
    /// it, and the run takes up where the store is; the replaced generation's follow-ups and answer
    /// come back from that step's effects and outcome, which are carried out again (each activity is
    /// idempotent by reference and version).
    /// </remarks>
    /// <param name="next">The command the run decided, which goes back to the head of its queue; null when it decided none (a resumed run).</param>
    private static async Task<ReferralRun> AdoptAsync(TaskOrchestrationContext context, ReferralRun run, CommandEnvelope? next, StoredStep instead, LifecycleSettings settings, DateTimeOffset now)
    {
        var before = instead.Before ?? run.State;
        var effects = Reactor.React(before, instead.Events);
        var requeue = next is not null && (instead.CommandId is null || instead.CommandId != next.CommandId);
        run = run.Remember(instead.CommandId) with
        {
            State = before.Evolve(instead.Events),
            Version = instead.Version,
            Settings = settings,
            FollowUps = requeue ? [next!, .. run.FollowUps] : run.FollowUps,
        };
        run = await CarryOutAsync(context, run, [.. effects.Select((e, i) => new EffectWork(run.Reference, instead.Version, i, now, e))]);
        if (instead.CommandId is { } answered)
        {
            // Its caller, if one waits, learns that it was applied.
            await UntilDoneAsync<bool>(context, ReferralActivityNames.RecordOutcome, new CommandOutcome(run.Reference, answered, instead.Version, true));
        }

        return run;
    }

    /// <summary>
    /// Records a command's outcome for its caller, once the follow-ups it set off are done (an
    /// accepted referral's answer shows its allocation); until then it waits in the run.
    /// </summary>
    private static async Task<ReferralRun> AnswerAsync(TaskOrchestrationContext context, ReferralRun run, CommandEnvelope next, CommandOutcome outcome)
    {
        var awaiting = next.Answer && next.CommandId is not null ? outcome : run.Awaiting;
        if (awaiting is null)
        {
            return run;
        }

        if (run.FollowUps.Count > 0)
        {
            return run with { Awaiting = awaiting };
        }

        // The outcome of a command whose follow-ups ran is the state they reached.
        var answer = awaiting == outcome ? outcome : awaiting with { Version = run.Version, Changed = awaiting.Changed || run.Version > awaiting.Version };
        await UntilDoneAsync<bool>(context, ReferralActivityNames.RecordOutcome, answer);
        return run with { Awaiting = null };
    }

    /// <summary>
    /// Carries out effects side by side, each by its own activity. Follow-up commands join the run;
    /// places taken for waiting referrals are offered to them as commands; an effect that still
    /// fails after its retries is kept, and tried again by the next generation.
    /// </summary>
    private static async Task<ReferralRun> CarryOutAsync(TaskOrchestrationContext context, ReferralRun run, IReadOnlyList<EffectWork> work)
    {
        var calls = work.Select(w => CallAsync<EffectResult>(context, ReferralActivityNames.Of(w.Effect), w)).ToList();
        try
        {
            await Task.WhenAll(calls);
        }
        catch (TaskFailedException)
        {
            // Each call's own outcome is read below.
        }

        var failed = new List<EffectWork>();
        var followUps = new List<CommandEnvelope>();
        for (var i = 0; i < calls.Count; i++)
        {
            if (!calls[i].IsCompletedSuccessfully)
            {
                failed.Add(work[i]);
                continue;
            }

            var result = calls[i].Result;
            followUps.AddRange(result.FollowUps.Select(c => new CommandEnvelope(null, c, Answer: false)));
            for (var n = 0; n < result.Offers.Count; n++)
            {
                var offer = result.Offers[n];
                var id = $"offer|{work[i].MessageId}|{n}";
                context.SendEvent(offer.Reference, CommandEvent, new CommandEnvelope(id, new ReferralCommand.Allocate(Actor.System, work[i].At, offer.PractitionerId, Manual: false), Answer: false));
            }
        }

        return run with { FollowUps = [.. run.FollowUps, .. followUps], PendingEffects = [.. run.PendingEffects, .. failed] };
    }

    /// <summary>
    /// Calls an activity the orchestration cannot go on without (recording a decided step, its
    /// answer): past its retries, it waits <see cref="EffectRetryDelay"/> and tries again, up to
    /// <see cref="EssentialAttempts"/> times (about two hours), so that a storage outage does not
    /// fail the orchestration. Past that the orchestration fails, visibly, to be rewound.
    /// </summary>
    private static async Task<T> UntilDoneAsync<T>(TaskOrchestrationContext context, string activity, object input)
    {
        for (var attempt = 1; attempt < EssentialAttempts; attempt++)
        {
            try
            {
                return await CallAsync<T>(context, activity, input);
            }
            catch (TaskFailedException)
            {
                await context.CreateTimer(EffectRetryDelay, CancellationToken.None);
            }
        }

        return await CallAsync<T>(context, activity, input);
    }

    /// <summary>
    /// Calls an activity and takes only its own answer. An answer under another call's id (or not
    /// an activity's answer at all: a timer of an attempt that died uncommitted) reached this call
    /// by its task id alone, from an attempt of this episode that died after sending its messages
    /// and before committing its history (see <see cref="ActivityCall{T}"/>); the call is made
    /// again, and what the activity really did for this input comes back. A fault run found a step
    /// taken as recorded, and its reminder sent, while the store held another.
    /// </summary>
    private static async Task<T> CallAsync<T>(TaskOrchestrationContext context, string activity, object input)
    {
        for (var attempt = 1; attempt <= MisdirectedAnswers; attempt++)
        {
            var id = context.NewGuid().ToString("N");
            ActivityReply<JsonElement>? reply;
            try
            {
                reply = await context.CallActivityAsync<ActivityReply<JsonElement>>(activity, new ActivityCall<object>(id, input), Retried);
            }
            catch (JsonException)
            {
                reply = null;
            }

            if (reply is not null && string.Equals(reply.CallId, id, StringComparison.Ordinal))
            {
                return reply.Output.Deserialize<T>(WorkflowJson.Options)!;
            }
        }

        throw new InvalidOperationException($"The {activity} activity answered {MisdirectedAnswers} times under another call's id.");
    }

    private static DateTimeOffset Now(TaskOrchestrationContext context) => new(context.CurrentUtcDateTime, TimeSpan.Zero);
}
