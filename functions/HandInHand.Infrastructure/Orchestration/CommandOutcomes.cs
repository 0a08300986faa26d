using System.Collections.Concurrent;
using Azure.Data.Tables;
using HandInHand.Domain.Lifecycle;
using HandInHand.Infrastructure.Referrals;
using HandInHand.Infrastructure.Storage;

namespace HandInHand.Infrastructure.Orchestration;

/// <summary>
/// Where the orchestration leaves a command's outcome for the caller waiting for it: one row in
/// the referral's partition, <c>outcome|&lt;command id&gt;</c>. The caller reads that row; when the
/// orchestration runs in the same process, the recording also wakes the caller at once instead
/// of at its next read.
/// </summary>
public sealed class CommandOutcomes
{
    private const string Prefix = "outcome|";
    private readonly GuardedTableClient _table;
    private readonly TimeProvider _clock;
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiters = new(StringComparer.Ordinal);

    public CommandOutcomes(TableProvider tables, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(tables);
        _table = tables.Get(ReferralTables.Referrals);
        _clock = clock;
    }

    /// <summary>Stores an outcome (again, harmlessly, if the activity runs twice) and wakes a waiter in this process.</summary>
    public async Task RecordAsync(CommandOutcome outcome, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var row = new TableEntity(outcome.Reference, Prefix + outcome.CommandId)
        {
            ["Version"] = outcome.Version,
            ["Changed"] = outcome.Changed,
            ["At"] = _clock.GetUtcNow(),
        };
        if (outcome.Refusal is { } refusal)
        {
            row["Refusal"] = refusal.ToString();
            row["Message"] = outcome.Message;
            row["Field"] = outcome.Field;
        }

        await _table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        if (_waiters.TryGetValue(Key(outcome.Reference, outcome.CommandId), out var waiter))
        {
            waiter.TrySetResult();
        }
    }

    /// <summary>The outcome of command <paramref name="commandId"/>, or null while there is none.</summary>
    public async Task<CommandOutcome?> FindAsync(string reference, string commandId, CancellationToken cancellationToken = default)
    {
        var row = await _table.GetEntityIfExistsAsync(reference, Prefix + commandId, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            return null;
        }

        return new CommandOutcome(
            reference,
            commandId,
            row.GetInt64("Version") ?? 0,
            row.GetBoolean("Changed") ?? false,
            row.GetString("Refusal") is { } refusal ? Enum.Parse<RejectionKind>(refusal) : null,
            row.GetString("Message"),
            row.GetString("Field"));
    }

    /// <summary>
    /// Waits up to <paramref name="limit"/> for the outcome of a command just raised. Reads the row
    /// at growing intervals (another process may run the orchestration), and sooner when woken.
    /// </summary>
    /// <returns>The outcome, or null when the limit passed first.</returns>
    public async Task<CommandOutcome?> WaitAsync(string reference, string commandId, TimeSpan limit, CancellationToken cancellationToken = default)
    {
        var key = Key(reference, commandId);
        // Real time, not the injected clock: this is how long a request waits, not a lifecycle deadline.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var pause = TimeSpan.FromMilliseconds(50);
        try
        {
            while (true)
            {
                var waiter = _waiters.GetOrAdd(key, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                if (await FindAsync(reference, commandId, cancellationToken).ConfigureAwait(false) is { } outcome)
                {
                    return outcome;
                }

                var left = limit - waited.Elapsed;
                if (left <= TimeSpan.Zero)
                {
                    return null;
                }

                await Task.WhenAny(waiter.Task, Task.Delay(left < pause ? left : pause, cancellationToken)).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                if (waiter.Task.IsCompleted)
                {
                    _waiters.TryRemove(new KeyValuePair<string, TaskCompletionSource>(key, waiter));
                }

                pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 500));
            }
        }
        finally
        {
            _waiters.TryRemove(key, out _);
        }
    }

    private static string Key(string reference, string commandId) => reference + "|" + commandId;
}
