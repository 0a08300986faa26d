using System.Globalization;
using Azure;
using Azure.Data.Tables;
using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Notifications;
using HandInHand.Domain.Workflow;
using HandInHand.Infrastructure.Storage;

namespace HandInHand.Infrastructure.Workflow;

/// <summary>
/// The staff views' projection: each open referral's <see cref="CaseCard"/>, under every view it
/// belongs to (a partition per stage, one per practitioner for the cases they hold, the due view
/// ordered by deadline, the panel's view of the Trusted Relationships referrals waiting for it, and
/// the attention view of the cases a digest can show, ordered by when they next need attention), so
/// that the triage queue, the panel's queue, my cases, due and overdue and the digests read only the
/// rows they show instead of every referral's state. Kept by the same effect that feeds the reports.
/// </summary>
/// <remarks>
/// <para>
/// A view is named by a string, and is a partition whose row key is the reference (<c>stage|…</c>,
/// <c>holder|…</c>), or a range of one shared partition ordered by what the name carries: the due
/// view <c>due|&lt;deadline&gt;</c> is the row <c>&lt;deadline&gt;|reference</c> of partition
/// <c>due</c> (<see cref="Address"/>); the panel's view <c>panel|&lt;stage&gt;</c> is the row
/// <c>&lt;stage&gt;|reference</c> of partition <c>panel</c>; the attention view <c>attention|&lt;moment&gt;</c> is
/// the row <c>&lt;moment&gt;|reference</c> of partition <c>attention</c>. A card whose deadline changes so leaves one view for another,
/// like a card that changes stage, and the rules below hold for both alike.
/// </para>
/// <para>
/// What must stay true, whatever the order and number of refreshes: each view's rows end up as the
/// referral's newest state says. Every row carries the history version it was written at and is
/// never replaced by an older one; a referral that leaves a view leaves a tombstone (a row that is
/// not live) rather than nothing, so that a late, older refresh cannot bring it back. Tombstones a
/// day old are swept (<see cref="SweepAsync"/>), long after any refresh of their time could land.
/// </para>
/// <para>
/// A referral's own row (partition <c>ref|reference</c>) lists the views it is live in, with the
/// version they were written at. It is written first, with its ETag, with every view about to be
/// written; so a refresh always knows every view an earlier one may have written, and a refresh
/// that finds a newer version there, before or after writing, starts again from the newest state
/// (also clearing the views it wrote itself). A view a refresh leaves gets a tombstone even where
/// it finds no row: an older refresh that listed that view may not have written its row yet, and
/// the tombstone's newer version is what keeps that row from landing afterwards.
/// </para>
/// </remarks>
public sealed class CaseBoard
{
    /// <summary>The table (before the configured prefix).</summary>
    public const string TableName = "CaseBoard";

    /// <summary>How old a tombstone is before the daily sweep removes it.</summary>
    public static readonly TimeSpan TombstoneLife = TimeSpan.FromDays(1);

    private const string ViewsRow = "views";
    private const string DuePartition = "due";
    private const string PanelPartition = "panel";
    private const string AttentionPartition = "attention";

    // The active view's partition, which the attention view replaced: still addressed as a shared,
    // ordered partition, so that the refresh of a referral listed there before leaves its tombstone
    // on the row it was listed in (and the sweep then removes it), not on a partition of its own.
    private const string RetiredActivePartition = "active";

    // A view's row holds the referral's card; the attention view's holds only what a digest may know of it.
    private const string CardColumn = "Card";
    private const string DigestColumn = "Digest";
    private const int Attempts = 20;
    private readonly GuardedTableClient _table;
    private readonly ReferralWorkflowStore _store;

    public CaseBoard(TableProvider tables, ReferralWorkflowStore store)
    {
        ArgumentNullException.ThrowIfNull(tables);
        _table = tables.Get(TableName);
        _store = store ?? throw new ArgumentNullException(nameof(store));
    }

    /// <summary>The deadlines the due view lists: the escalations, not the reminders before them.</summary>
    public static IReadOnlyList<TimerKind> Escalations { get; } = [TimerKind.FirstContactDeadline, TimerKind.TriageDeadline, TimerKind.ReviewOverdue, TimerKind.InformationDeadline];

    /// <summary>The stages at which a Trusted Relationships referral waits for the panel: its decision, or its allocation to a strand.</summary>
    public static IReadOnlyList<Stage> PanelStages { get; } = [Stage.AwaitingTriage, Stage.AwaitingInformation, Stage.AwaitingAllocation, Stage.WaitingList];

    /// <summary>The views an open referral's card belongs to.</summary>
    public static IReadOnlySet<string> ViewsOf(CaseCard? card)
    {
        var views = new SortedSet<string>(StringComparer.Ordinal);
        if (card is not null)
        {
            views.Add(StageView(card.Stage));
            if (card.IsHeld)
            {
                views.Add(HolderView(card.PractitionerId!));
            }

            if (NextDue(card) is { } due)
            {
                views.Add(DuePartition + "|" + SortableKey(due));
            }

            if (card.Pathway == ServicePathway.TrustedRelationships && PanelStages.Contains(card.Stage))
            {
                views.Add(PanelPartition + "|" + card.Stage);
            }

            if (NextAttention(card) is { } attention)
            {
                views.Add(AttentionPartition + "|" + SortableKey(attention));
            }
        }

        return views;
    }

    /// <summary>Brings the referral's rows on the board to its current state.</summary>
    public async Task RefreshAsync(string reference, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(reference);
        var written = new SortedSet<string>(StringComparer.Ordinal);
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            var loaded = await _store.LoadAsync(reference, cancellationToken).ConfigureAwait(false);
            if (loaded is null)
            {
                return;
            }

            var own = await _table.GetEntityIfExistsAsync(OwnPartition(reference), ViewsRow, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (own?.GetInt64("Version") > loaded.Version)
            {
                continue;
            }

            var card = CaseCard.Of(loaded.State);
            var live = ViewsOf(card);
            var touched = new SortedSet<string>(Split(own?.GetString("Views")).Concat(live).Concat(written), StringComparer.Ordinal);
            var etag = await TryWriteOwnAsync(reference, loaded.Version, touched, own, cancellationToken).ConfigureAwait(false);
            if (etag is null)
            {
                continue;
            }

            foreach (var view in touched)
            {
                await WriteRowAsync(view, reference, loaded.Version, live.Contains(view) ? card : null, cancellationToken).ConfigureAwait(false);
                written.Add(view);
            }

            // Only the views it is live in stay listed. Another refresh that wrote the referral's row
            // in between read there every view this one wrote, and writes them all at its own
            // version (no older: an older one starts again from the newest state); it finishes the work.
            if (await TryWriteOwnAsync(reference, loaded.Version, live, new TableEntity(OwnPartition(reference), ViewsRow) { ETag = etag.Value }, cancellationToken).ConfigureAwait(false) is not null)
            {
                return;
            }

            var now = await _table.GetEntityIfExistsAsync(OwnPartition(reference), ViewsRow, ["Version"], cancellationToken).ConfigureAwait(false);
            if (now?.GetInt64("Version") >= loaded.Version)
            {
                return;
            }
        }

        throw new InvalidOperationException("A referral's card kept changing while the case board was refreshed.");
    }

    /// <summary>
    /// The rows a completed refresh leaves on the board for a referral whose state at history
    /// <paramref name="version"/> has <paramref name="card"/> (none once it is closed): its own row
    /// first, then its row in each view it is live in (tombstones aside, which the sweep removes).
    /// For loading a board in bulk (the staff views benchmark) in the shape the refresh writes; the
    /// product itself writes only through <see cref="RefreshAsync"/>.
    /// </summary>
    public static IReadOnlyList<TableEntity> RowsOf(string reference, long version, CaseCard? card)
    {
        ArgumentException.ThrowIfNullOrEmpty(reference);
        var views = ViewsOf(card);
        return [OwnRow(reference, version, views), .. views.Select(view => ViewRow(view, reference, version, card))];
    }

    /// <summary>The open referrals at <paramref name="stages"/>, stage by stage in the order given.</summary>
    public IAsyncEnumerable<CaseCard> AtStagesAsync(IEnumerable<Stage> stages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stages);
        return LiveAsync([.. stages.Select(StageView)], cancellationToken);
    }

    /// <summary>The cases <paramref name="practitionerId"/> holds.</summary>
    public IAsyncEnumerable<CaseCard> HeldByAsync(string practitionerId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(practitionerId);
        return LiveAsync([HolderView(practitionerId)], cancellationToken);
    }

    /// <summary>
    /// Open referrals with an escalation deadline before <paramref name="before"/>, or one already
    /// missed: one range of the due view, whose row keys start with the earliest such deadline, so
    /// it reads only the rows it returns. Returned stage by stage (in <see cref="OpenStages"/>' order),
    /// then by reference, as the stage views would give them.
    /// </summary>
    public IAsyncEnumerable<CaseCard> DueBeforeAsync(DateTimeOffset before, CancellationToken cancellationToken = default) =>
        BeforeAsync(DuePartition, before, cancellationToken);

    /// <summary>
    /// What a digest may know (<see cref="DigestCase"/>) of the open cases that need attention before
    /// <paramref name="before"/> (<see cref="NextAttention"/>): every case at a stage before support
    /// begins, and the active cases with a review due, a review overdue or a first contact missed by
    /// then. One range of the attention view, whose row keys start with that moment, so a digest run
    /// reads the cases it can show in one query, and not the active cases it cannot; and of each, only
    /// what a digest may show. Stage by stage (in <see cref="OpenStages"/>' order), then by reference.
    /// </summary>
    public async IAsyncEnumerable<DigestCase> NeedingAttentionBeforeAsync(DateTimeOffset before, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var cases = new List<DigestCase>();
        await foreach (var row in _table.QueryAsync(RangeBefore(AttentionPartition, before), [DigestColumn], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            cases.Add(WorkflowJson.Deserialize<DigestCase>(row.GetString(DigestColumn)!));
        }

        foreach (var item in cases.OrderBy(c => OpenStageOrder(c.Stage)).ThenBy(c => c.Reference, StringComparer.Ordinal))
        {
            yield return item;
        }
    }

    /// <summary>The live cards of a shared partition ordered by a moment (the due view) whose row keys start before <paramref name="before"/>, stage by stage, then by reference.</summary>
    private async IAsyncEnumerable<CaseCard> BeforeAsync(string partition, DateTimeOffset before, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var cards = await ReadLiveAsync(RangeBefore(partition, before), cancellationToken).ConfigureAwait(false);
        foreach (var card in cards.OrderBy(c => OpenStageOrder(c.Stage)).ThenBy(c => c.Reference, StringComparer.Ordinal))
        {
            yield return card;
        }
    }

    /// <summary>The live rows of a shared partition ordered by a moment whose row keys start before <paramref name="before"/>.</summary>
    private static string RangeBefore(string partition, DateTimeOffset before) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey lt {SortableKey(before)} and Live eq {true}");

    /// <summary>
    /// The Trusted Relationships referrals waiting for the panel at <paramref name="stages"/> (some of
    /// <see cref="PanelStages"/>), stage by stage in <see cref="OpenStages"/>' order, then by
    /// reference: the panel's partition, or for one stage one range of it.
    /// </summary>
    public async IAsyncEnumerable<CaseCard> ForPanelAsync(IReadOnlyCollection<Stage> stages, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stages);
        var filter = stages.Count == 1
            ? TableClient.CreateQueryFilter($"PartitionKey eq {PanelPartition} and RowKey gt {stages.Single() + "|"} and RowKey lt {stages.Single() + "}"} and Live eq {true}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {PanelPartition} and Live eq {true}");
        var cards = await ReadLiveAsync(filter, cancellationToken).ConfigureAwait(false);
        foreach (var card in cards.Where(c => stages.Contains(c.Stage)).OrderBy(c => OpenStageOrder(c.Stage)).ThenBy(c => c.Reference, StringComparer.Ordinal))
        {
            yield return card;
        }
    }

    /// <summary>Removes tombstones older than <see cref="TombstoneLife"/>; returns how many.</summary>
    public async Task<int> SweepAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var removed = 0;
        var filter = TableClient.CreateQueryFilter($"Live eq {false} and Timestamp lt {now - TombstoneLife}");
        var old = new List<TableEntity>();
        await foreach (var row in _table.QueryAsync(filter, ["PartitionKey", "RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            old.Add(row);
        }

        foreach (var row in old)
        {
            try
            {
                await _table.DeleteEntityAsync(row.PartitionKey, row.RowKey, row.ETag, cancellationToken).ConfigureAwait(false);
                removed++;
            }
            catch (RequestFailedException ex) when (ex.Status is 404 or 412)
            {
                // Gone already, or written again since: either way not a tombstone to remove now.
            }
        }

        return removed;
    }

    /// <summary>The stages at which a referral is open (and so on the board).</summary>
    public static IReadOnlyList<Stage> OpenStages { get; } =
        [Stage.AwaitingTriage, Stage.AwaitingInformation, Stage.AwaitingAllocation, Stage.WaitingList, Stage.Allocated, Stage.Active];

    /// <summary>
    /// The live cards of <paramref name="views"/>, view by view in the order given. The views are read
    /// at once rather than one after another: a view page waits for its slowest partition, not for
    /// the sum of them.
    /// </summary>
    private async IAsyncEnumerable<CaseCard> LiveAsync(IReadOnlyList<string> views, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var reads = views.Select(view => ReadLiveAsync(TableClient.CreateQueryFilter($"PartitionKey eq {view} and Live eq {true}"), cancellationToken)).ToArray();
        foreach (var cards in await Task.WhenAll(reads).ConfigureAwait(false))
        {
            foreach (var card in cards)
            {
                yield return card;
            }
        }
    }

    private async Task<List<CaseCard>> ReadLiveAsync(string filter, CancellationToken cancellationToken)
    {
        var cards = new List<CaseCard>();
        await foreach (var row in _table.QueryAsync(filter, [CardColumn], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            cards.Add(WorkflowJson.Deserialize<CaseCard>(row.GetString(CardColumn)!));
        }

        return cards;
    }

    /// <summary>Writes the referral's own row listing <paramref name="views"/>, under the ETag it was read with; null when another refresh wrote it first.</summary>
    private async Task<ETag?> TryWriteOwnAsync(string reference, long version, IEnumerable<string> views, TableEntity? read, CancellationToken cancellationToken)
    {
        var row = OwnRow(reference, version, views);
        try
        {
            return read is null
                ? await _table.AddEntityAsync(row, cancellationToken).ConfigureAwait(false)
                : await _table.UpdateEntityAsync(row, read.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return null;
        }
    }

    /// <summary>Writes one view's row of the referral (its card, or a tombstone) unless a newer version is there already.</summary>
    private async Task WriteRowAsync(string view, string reference, long version, CaseCard? card, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            var (partition, rowKey) = Address(view, reference);
            var existing = await _table.GetEntityIfExistsAsync(partition, rowKey, ["Version"], cancellationToken).ConfigureAwait(false);
            if (existing?.GetInt64("Version") > version)
            {
                return;
            }

            var row = ViewRow(view, reference, version, card);
            try
            {
                if (existing is null)
                {
                    await _table.AddEntityAsync(row, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await _table.UpdateEntityAsync(row, existing.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                }

                return;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                // Written in between: read it again and compare versions.
            }
        }

        throw new InvalidOperationException("A case board row kept changing while being written.");
    }

    /// <summary>The referral's own row: the views it is listed in, and the version they were written at.</summary>
    private static TableEntity OwnRow(string reference, long version, IEnumerable<string> views) =>
        new(OwnPartition(reference), ViewsRow) { ["Version"] = version, ["Views"] = string.Join(",", views) };

    /// <summary>One view's row of the referral: its card while live there, otherwise a tombstone.</summary>
    private static TableEntity ViewRow(string view, string reference, long version, CaseCard? card)
    {
        var (partition, rowKey) = Address(view, reference);
        var row = new TableEntity(partition, rowKey) { ["Version"] = version, ["Live"] = card is not null };
        if (card is not null)
        {
            if (partition == AttentionPartition)
            {
                row[DigestColumn] = WorkflowJson.Serialize(DigestCase.From(card));
            }
            else
            {
                row[CardColumn] = WorkflowJson.Serialize(card);
            }
        }

        return row;
    }

    /// <summary>The earliest escalation deadline still to meet (missed ones included): where the card stands in the due view.</summary>
    private static DateTimeOffset? NextDue(CaseCard card) =>
        Escalations.Select(card.Deadline).OfType<DateTimeOffset>().Order().Cast<DateTimeOffset?>().FirstOrDefault();

    /// <summary>
    /// The first moment an open case shows in a digest: before support begins, from when it was
    /// received (a digest lists every such case, whatever its deadlines); once active, the earliest of
    /// its next review, its review escalation and a first-contact deadline still to meet (the times a
    /// digest lists an active case by), or never while it has none.
    /// </summary>
    private static DateTimeOffset? NextAttention(CaseCard card) =>
        card.Stage != Stage.Active
            ? card.ReceivedAt
            : new[] { card.NextReviewDue, card.Deadline(TimerKind.ReviewOverdue), card.Deadline(TimerKind.FirstContactDeadline) }
                .OfType<DateTimeOffset>().Order().Cast<DateTimeOffset?>().FirstOrDefault();

    /// <summary>
    /// Where a view's row of the referral is: a view of its own is a partition keyed by reference; a
    /// view in a shared, ordered partition (<c>due|&lt;key&gt;</c>, <c>panel|&lt;key&gt;</c>, <c>attention|&lt;key&gt;</c>) is the row <c>&lt;key&gt;|reference</c> there.
    /// </summary>
    internal static (string Partition, string RowKey) Address(string view, string reference)
    {
        var bar = view.IndexOf('|', StringComparison.Ordinal);
        return bar > 0 && view[..bar] is DuePartition or PanelPartition or AttentionPartition or RetiredActivePartition ? (view[..bar], view[(bar + 1)..] + "|" + reference) : (view, reference);
    }

    /// <summary>A moment as a fixed-width UTC text that sorts as the moments do: how the due view's row keys start.</summary>
    public static string SortableKey(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'.'fffffff'Z'", CultureInfo.InvariantCulture);

    private static int OpenStageOrder(Stage stage)
    {
        for (var index = 0; index < OpenStages.Count; index++)
        {
            if (OpenStages[index] == stage)
            {
                return index;
            }
        }

        return int.MaxValue;
    }

    private static string[] Split(string? views) => string.IsNullOrEmpty(views) ? [] : views.Split(',');

    private static string StageView(Stage stage) => "stage|" + stage;

    private static string HolderView(string practitionerId) => "holder|" + practitionerId;

    private static string OwnPartition(string reference) => "ref|" + reference;
}
