using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Workflow;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HandInHand.Infrastructure.Workflow;

/// <summary>The outcome of a command: the state after it and the events it caused (none for a repeat).</summary>
public sealed record WorkflowOutcome(string Reference, ReferralState State, long Version, IReadOnlyList<ReferralEvent> Events);

/// <summary>There is no referral with that reference.</summary>
public sealed class ReferralNotFoundException : Exception
{
    public ReferralNotFoundException()
        : base("No referral has this reference.")
    {
    }

    public ReferralNotFoundException(string message)
        : base(message)
    {
    }

    public ReferralNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Runs one command against one referral: load, decide, commit — and, if another step landed in
/// between, load and decide again. The timers the step sets are entered in the due-time index
/// before the commit, so a committed timer always has its row; a step with effects also enters
/// its outbox, so a crash before the outbox is drained leaves it for the dispatcher.
/// </summary>
public sealed partial class ReferralWorkflow(
    ReferralWorkflowStore store,
    TimerIndex index,
    ReferralDecider decider,
    IOptions<WorkflowOptions> options,
    ILogger<ReferralWorkflow> logger)
{
    /// <summary>Executes <paramref name="command"/>. A client's <paramref name="commandKey"/> makes a retried command return the first outcome.</summary>
    /// <exception cref="CommandRejectedException">The command does not fit; nothing changed.</exception>
    /// <exception cref="ReferralNotFoundException">No such referral.</exception>
    public async Task<WorkflowOutcome> ExecuteAsync(
        string reference,
        ReferralCommand command,
        string? commandKey = null,
        IReadOnlyList<TableEntity>? extraRows = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(reference);
        ArgumentNullException.ThrowIfNull(command);
        var keyHash = commandKey is null ? null : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(commandKey)));
        for (var attempt = 1; ; attempt++)
        {
            var loaded = await store.LoadAsync(reference, cancellationToken).ConfigureAwait(false);
            if (loaded is null && command is not ReferralCommand.Receive)
            {
                throw new ReferralNotFoundException();
            }

            if (loaded is not null && keyHash is not null && await store.GetCommandVersionAsync(reference, keyHash, cancellationToken).ConfigureAwait(false) is not null)
            {
                return new WorkflowOutcome(reference, loaded.State, loaded.Version, []);
            }

            var before = loaded?.State ?? ReferralState.Initial;
            var events = decider.Decide(command, before);
            if (events.Count == 0)
            {
                return new WorkflowOutcome(reference, before, loaded?.Version ?? 0, []);
            }

            var after = before.Evolve(events);
            var effects = Reactor.React(before, events);
            var version = (loaded?.Version ?? 0) + events.Count;
            var due = events.OfType<ReferralEvent.TimerSet>().Select(t => (t.Kind.ToString(), t.DueAt)).ToList();
            if (effects.Count > 0)
            {
                due.Add((TimerIndex.OutboxKind, command.At + options.Value.CommitGrace));
            }

            if (due.Count > 0)
            {
                await index.AddAsync(reference, due, version, command.At, cancellationToken).ConfigureAwait(false);
            }

            try
            {
                await store.CommitAsync(reference, loaded, after, events, effects, command.At, keyHash, extraRows, cancellationToken).ConfigureAwait(false);
                LogStep(logger, reference, command.GetType().Name, version);
                return new WorkflowOutcome(reference, after, version, events);
            }
            catch (ConcurrentChangeException) when (attempt < options.Value.CommitAttempts)
            {
                LogRace(logger, reference, command.GetType().Name, attempt);
                await Task.Delay(Random.Shared.Next(1, 10 * attempt), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Referral {Reference}: {Command} committed as version {Version}")]
    private static partial void LogStep(ILogger logger, string reference, string command, long version);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Referral {Reference}: {Command} lost a race (attempt {Attempt}); deciding again")]
    private static partial void LogRace(ILogger logger, string reference, string command, int attempt);
}
