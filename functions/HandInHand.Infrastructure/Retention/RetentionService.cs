using Azure.Data.Tables;
using HandInHand.Domain.Lifecycle;
using HandInHand.Infrastructure.Audit;
using HandInHand.Infrastructure.Orchestration;
using HandInHand.Infrastructure.Referrals;
using HandInHand.Infrastructure.Storage;
using HandInHand.Infrastructure.Surveys;
using HandInHand.Infrastructure.Workflow;

namespace HandInHand.Infrastructure.Retention;

/// <summary>A record waiting for the manager's retention review.</summary>
public sealed record RetentionReviewItem(string Reference, DateTimeOffset DueAt);

/// <summary>What one run of the retention job found and did.</summary>
/// <param name="OrchestrationsPurged">Ended orchestrations (of erased records) whose task-hub records were purged.</param>
/// <param name="BoardTombstonesSwept">Tombstones on the staff case board old enough to remove (<see cref="Workflow.CaseBoard.SweepAsync"/>).</param>
public sealed record RetentionSweep(int Waiting, int ErasuresFinished, int Removed, int OrchestrationsPurged, int BoardTombstonesSwept = 0);

/// <summary>
/// Retention (PRODUCT.md §3): the manager's review queue, and the erasure she confirms. The
/// referral's own timer puts it in the queue when its retention period ends; the erasure removes
/// the form, the young person's index entries, the contact channel, the survey links and the
/// personal details of the history, and keeps the anonymous figures (state, and the events'
/// kinds, times and choices). Every step is idempotent: an activity may run more than once. The
/// erased referral's orchestration then ends, and its records in the task hub are purged.
/// </summary>
public sealed class RetentionService
{
    public const string TableName = "RetentionReviews";
    private const string Partition = "review";
    private readonly GuardedTableClient _queue;
    private readonly ReferralWorkflowStore _workflow;
    private readonly ReferralStore _referrals;
    private readonly YoungPersonIndex _youngPeople;
    private readonly ContactChannels _channels;
    private readonly SurveyTokens _surveys;
    private readonly AuditTrail _audit;
    private readonly FinishedOrchestrations _finished;
    private readonly CaseBoard _board;
    private readonly TimeProvider _clock;

    public RetentionService(
        TableProvider tables,
        ReferralWorkflowStore workflow,
        ReferralStore referrals,
        YoungPersonIndex youngPeople,
        ContactChannels channels,
        SurveyTokens surveys,
        AuditTrail audit,
        FinishedOrchestrations finished,
        CaseBoard board,
        TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(tables);
        _queue = tables.Get(TableName);
        _workflow = workflow ?? throw new ArgumentNullException(nameof(workflow));
        _referrals = referrals ?? throw new ArgumentNullException(nameof(referrals));
        _youngPeople = youngPeople ?? throw new ArgumentNullException(nameof(youngPeople));
        _channels = channels ?? throw new ArgumentNullException(nameof(channels));
        _surveys = surveys ?? throw new ArgumentNullException(nameof(surveys));
        _audit = audit ?? throw new ArgumentNullException(nameof(audit));
        _finished = finished ?? throw new ArgumentNullException(nameof(finished));
        _board = board ?? throw new ArgumentNullException(nameof(board));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
    }

    public async Task AwaitReviewAsync(string reference, DateTimeOffset dueAt, CancellationToken cancellationToken = default) =>
        await _queue.UpsertEntityAsync(new TableEntity(Partition, reference) { ["DueAt"] = dueAt }, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);

    public Task EndReviewAsync(string reference, CancellationToken cancellationToken = default) =>
        _queue.DeleteIfExistsAsync(Partition, reference, cancellationToken);

    /// <summary>The manager's review queue, longest waiting first.</summary>
    public async Task<IReadOnlyList<RetentionReviewItem>> ListAsync(CancellationToken cancellationToken = default)
    {
        var items = new List<RetentionReviewItem>();
        await foreach (var row in _queue.QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {Partition}"), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            items.Add(new RetentionReviewItem(row.RowKey, row.GetDateTimeOffset("DueAt") ?? default));
        }

        return [.. items.OrderBy(i => i.DueAt).ThenBy(i => i.Reference, StringComparer.Ordinal)];
    }

    /// <summary>Removes the personal data of an erased referral from every table outside its state.</summary>
    public async Task ErasePersonalDataAsync(string reference, CancellationToken cancellationToken = default)
    {
        var record = await _referrals.GetAsync(reference, cancellationToken).ConfigureAwait(false);
        if (record is not null)
        {
            await _youngPeople.RemoveAsync(record.Form.YoungPerson, reference, cancellationToken).ConfigureAwait(false);
        }

        await _channels.DeleteAsync(reference, cancellationToken).ConfigureAwait(false);
        await _surveys.DeleteForAsync(reference, cancellationToken).ConfigureAwait(false);
        var redacted = await _workflow.RedactHistoryAsync(reference, Erasure.Redact, cancellationToken).ConfigureAwait(false);
        // The form goes last: while it is there, a repeat of this step can still find the index entries.
        await _referrals.EraseAsync(reference, cancellationToken).ConfigureAwait(false);
        if (record is not null || redacted > 0)
        {
            await _audit.AppendAsync(new AuditEvent(reference, Actor.System.Id, nameof(Role.System), "erase-personal-data", "done", _clock.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The scheduled retention job: checks the review queue against each referral's state, finishes
    /// any erasure left half done, drops entries that no longer wait (reopened, or erased) and
    /// purges the task-hub records of orchestrations that ended with an erasure.
    /// </summary>
    public async Task<RetentionSweep> RunAsync(CancellationToken cancellationToken = default)
    {
        int waiting = 0, finished = 0, removed = 0;
        foreach (var item in await ListAsync(cancellationToken).ConfigureAwait(false))
        {
            var loaded = await _workflow.LoadAsync(item.Reference, cancellationToken).ConfigureAwait(false);
            if (loaded?.State.ErasedAt is not null)
            {
                await ErasePersonalDataAsync(item.Reference, cancellationToken).ConfigureAwait(false);
                finished++;
            }

            if (loaded is null || !loaded.State.RetentionReviewDue)
            {
                await EndReviewAsync(item.Reference, cancellationToken).ConfigureAwait(false);
                removed++;
                continue;
            }

            waiting++;
        }

        var purged = await _finished.PurgeAllAsync(cancellationToken).ConfigureAwait(false);
        var swept = await _board.SweepAsync(_clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return new RetentionSweep(waiting, finished, removed, purged, swept);
    }
}
