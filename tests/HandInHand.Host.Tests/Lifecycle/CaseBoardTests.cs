using System.Text.Json.Nodes;
using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Notifications;
using HandInHand.Domain.Workflow;
using HandInHand.Host.Tests.Referrals;
using HandInHand.Host.Tests.Support;
using HandInHand.Infrastructure.Storage;
using HandInHand.Infrastructure.Workflow;

namespace HandInHand.Host.Tests.Lifecycle;

/// <summary>
/// The case board, the staff views' projection: a referral is listed under its stage, and under its
/// holder while a practitioner holds it, and nowhere once it is closed; a repeated or concurrent
/// refresh writes the same; old tombstones are swept without touching what is live.
/// </summary>
public sealed class CaseBoardTests(HandInHandFactory factory) : IClassFixture<HandInHandFactory>
{
    [Fact]
    public async Task AReferralIsOnTheViewsOfItsStageAndHolderAndLeavesThemWhenItMovesOnOrCloses()
    {
        var hh = new LifecycleDriver(factory);
        var board = hh.Service<CaseBoard>();
        await hh.PutPractitionerAsync(LifecycleDriver.SelbyPractitioner, LifecycleDriver.Selby, 50);
        var reference = await hh.SubmitAsync();
        await LifecycleDriver.EventuallyAsync(async () => (await ViewsAsync(board, reference, null)).SequenceEqual([Stage.AwaitingTriage]), "the new referral on the triage view");

        var active = await hh.ActivateAsync(reference);
        var holder = active.PractitionerId!;
        Assert.Equal([Stage.Active], await ViewsAsync(board, reference, holder));
        var held = Assert.Single(await ListAsync(board.HeldByAsync(holder)), c => c.Reference == reference);
        Assert.Equal(Stage.Active, held.Stage);
        Assert.Contains(TimerKind.ReviewOverdue, held.Timers.Keys);
        Assert.Contains(await ListAsync(board.DueBeforeAsync(DateTimeOffset.MaxValue)), c => c.Reference == reference);
        Assert.DoesNotContain(await ListAsync(board.DueBeforeAsync(DateTimeOffset.UtcNow.AddYears(-1))), c => c.Reference == reference);

        // At-least-once delivery: carried out again, and three times at once, it writes the same.
        await Task.WhenAll(board.RefreshAsync(reference), board.RefreshAsync(reference), board.RefreshAsync(reference));
        Assert.Equal([Stage.Active], await ViewsAsync(board, reference, holder));

        await hh.CommandAsync(reference, "close", StaffActor.Practitioner(holder), LifecycleDriver.Closure());
        Assert.Empty(await ViewsAsync(board, reference, holder));

        // A day on, the sweep removes the tombstones it left behind; what is live stays.
        var other = await hh.SubmitAsync();
        await LifecycleDriver.EventuallyAsync(async () => (await ViewsAsync(board, other, null)).SequenceEqual([Stage.AwaitingTriage]), "another referral on the triage view");
        Assert.True(await board.SweepAsync(DateTimeOffset.UtcNow + CaseBoard.TombstoneLife + TimeSpan.FromMinutes(1)) >= 3);
        Assert.Equal([Stage.AwaitingTriage], await ViewsAsync(board, other, null));
        Assert.Empty(await ViewsAsync(board, reference, holder));
        await board.RefreshAsync(reference);
        Assert.Empty(await ViewsAsync(board, reference, holder));
    }

    [Fact]
    public async Task TheRowsOfACardAreTheRowsARefreshLeavesOnTheBoard()
    {
        var hh = new LifecycleDriver(factory);
        var board = hh.Service<CaseBoard>();
        await hh.PutPractitionerAsync(LifecycleDriver.SelbyPractitioner, LifecycleDriver.Selby, 50);
        var reference = await hh.SubmitAsync();
        var active = await hh.ActivateAsync(reference);
        await board.RefreshAsync(reference);
        var loaded = (await hh.Service<ReferralWorkflowStore>().LoadAsync(reference))!;

        // The bulk load of the staff views benchmark writes these rows: they must be what a refresh writes.
        var rows = CaseBoard.RowsOf(reference, loaded.Version, CaseCard.Of(loaded.State));
        Assert.Equal(["ref|" + reference, "attention", "due", "holder|" + active.PractitionerId, "stage|Active"], rows.Select(r => r.PartitionKey));
        var table = hh.Service<TableProvider>().Get(CaseBoard.TableName);
        foreach (var expected in rows)
        {
            var actual = await table.GetEntityIfExistsAsync(expected.PartitionKey, expected.RowKey);
            Assert.NotNull(actual);
            var names = expected.Keys.Where(k => k is not ("odata.etag" or "PartitionKey" or "RowKey" or "Timestamp")).Order(StringComparer.Ordinal).ToArray();
            Assert.Equal(names, actual.Keys.Where(k => k is not ("odata.etag" or "PartitionKey" or "RowKey" or "Timestamp")).Order(StringComparer.Ordinal));
            foreach (var name in names)
            {
                Assert.Equal(expected[name], actual[name]);
            }
        }
    }

    [Fact]
    public async Task TheDueViewIsOrderedByDeadlineAndACardMovesRowWhenItsDeadlineChanges()
    {
        var hh = new LifecycleDriver(factory);
        var board = hh.Service<CaseBoard>();
        var table = hh.Service<TableProvider>().Get(CaseBoard.TableName);
        var store = hh.Service<ReferralWorkflowStore>();
        await hh.PutPractitionerAsync(LifecycleDriver.SelbyPractitioner, LifecycleDriver.Selby, 50);
        var reference = await hh.SubmitAsync();
        await board.RefreshAsync(reference);
        var (triageKey, triageDue) = await DueRowAsync(table, store, reference);

        // "Due before" is a range of row keys: a deadline at the moment itself is not before it.
        Assert.DoesNotContain(await ListAsync(board.DueBeforeAsync(triageDue)), c => c.Reference == reference);
        Assert.Contains(await ListAsync(board.DueBeforeAsync(triageDue.AddTicks(1))), c => c.Reference == reference);

        // Activated, its earliest escalation is the review: a row under the new deadline, a tombstone under the old.
        await hh.ActivateAsync(reference);
        await board.RefreshAsync(reference);
        var (activeKey, activeDue) = await DueRowAsync(table, store, reference);
        Assert.NotEqual(triageKey, activeKey);
        var old = await table.GetEntityIfExistsAsync("due", triageKey);
        Assert.False(old!.GetBoolean("Live"));
        Assert.Single(await ListAsync(board.DueBeforeAsync(DateTimeOffset.MaxValue)), c => c.Reference == reference);
        Assert.Contains(await ListAsync(board.DueBeforeAsync(activeDue.AddTicks(1))), c => c.Reference == reference);
        Assert.DoesNotContain(await ListAsync(board.DueBeforeAsync(activeDue)), c => c.Reference == reference);
    }

    [Fact]
    public async Task TheAttentionViewListsACaseFromItsReceiptUntilSupportBeginsThenFromItsNextReviewAndNotOnceClosed()
    {
        var hh = new LifecycleDriver(factory);
        var board = hh.Service<CaseBoard>();
        await hh.PutPractitionerAsync(LifecycleDriver.SelbyPractitioner, LifecycleDriver.Selby, 50);
        var reference = await hh.SubmitAsync();
        await board.RefreshAsync(reference);
        var card = CaseCard.Of((await hh.Service<ReferralWorkflowStore>().LoadAsync(reference))!.State)!;
        var received = card.ReceivedAt;

        // Its row there holds only what a digest may know of the case: no region, risk or timers beyond its deadlines.
        var row = (await hh.Service<TableProvider>().Get(CaseBoard.TableName).GetEntityIfExistsAsync("attention", CaseBoard.SortableKey(received) + "|" + reference))!;
        Assert.Equal(["Digest", "Live", "Version"], row.Keys.Where(k => k is not ("odata.etag" or "PartitionKey" or "RowKey" or "Timestamp")).Order(StringComparer.Ordinal));
        Assert.Equal(DigestCase.From(card), HandInHand.Infrastructure.Workflow.WorkflowJson.Deserialize<DigestCase>(row.GetString("Digest")));

        // Before support begins a digest lists the case whatever its deadlines: listed from its receipt, not before.
        Assert.DoesNotContain(await ListAsync(board.NeedingAttentionBeforeAsync(received)), c => c.Reference == reference);
        Assert.Equal(Stage.AwaitingTriage, Assert.Single(await ListAsync(board.NeedingAttentionBeforeAsync(received.AddTicks(1))), c => c.Reference == reference).Stage);

        // Allocated: still listed once, under the same moment, with its new stage.
        Assert.Equal("Allocated", (await hh.AcceptAsync(reference)).Stage);
        await board.RefreshAsync(reference);
        Assert.Equal(Stage.Allocated, Assert.Single(await ListAsync(board.NeedingAttentionBeforeAsync(received.AddTicks(1))), c => c.Reference == reference).Stage);

        // Active: listed from the moment its next review is due (the earliest time a digest shows it by), not before.
        var view = await hh.CommandAsync(reference, "first-contact", StaffActor.Practitioner(LifecycleDriver.SelbyPractitioner), new JsonObject { ["contactedAt"] = hh.Now, ["consent"] = true });
        await board.RefreshAsync(reference);
        var review = view.NextReviewDue!.Value;
        Assert.DoesNotContain(await ListAsync(board.NeedingAttentionBeforeAsync(review)), c => c.Reference == reference);
        var listed = Assert.Single(await ListAsync(board.NeedingAttentionBeforeAsync(review.AddTicks(1))), c => c.Reference == reference);
        Assert.Equal(Stage.Active, listed.Stage);

        // Closed: gone from the view.
        await hh.CommandAsync(reference, "close", StaffActor.Practitioner(LifecycleDriver.SelbyPractitioner), LifecycleDriver.Closure());
        await board.RefreshAsync(reference);
        Assert.DoesNotContain(await ListAsync(board.NeedingAttentionBeforeAsync(DateTimeOffset.MaxValue)), c => c.Reference == reference);
    }

    [Fact]
    public async Task AViewARefreshLeavesGetsATombstoneEvenWhereItFindsNoRow()
    {
        var hh = new LifecycleDriver(factory);
        var board = hh.Service<CaseBoard>();
        var table = hh.Service<TableProvider>().Get(CaseBoard.TableName);
        var reference = await hh.SubmitAsync();
        await board.RefreshAsync(reference);

        // An older refresh listed a due view in the referral's own row but has not written its row yet.
        var version = await ListInOwnRowAsync(table, reference, "due|20000101T000000.0000000Z");

        await board.RefreshAsync(reference);
        var tombstone = await table.GetEntityIfExistsAsync("due", "20000101T000000.0000000Z|" + reference);
        Assert.NotNull(tombstone);
        Assert.False(tombstone.GetBoolean("Live"));
        Assert.Equal(version, tombstone.GetInt64("Version"));
        Assert.DoesNotContain("20000101", (await table.GetEntityIfExistsAsync("ref|" + reference, "views"))!.GetString("Views"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARefreshLeavesATombstoneOnTheRowOfTheRetiredActiveViewTheReferralWasListedIn()
    {
        var hh = new LifecycleDriver(factory);
        var board = hh.Service<CaseBoard>();
        var table = hh.Service<TableProvider>().Get(CaseBoard.TableName);
        var reference = await hh.SubmitAsync();
        await board.RefreshAsync(reference);

        // As a refresh before the attention view left it: listed in the active view, its card live there.
        const string Moment = "20000101T000000.0000000Z";
        var version = await ListInOwnRowAsync(table, reference, "active|" + Moment);
        await table.AddEntityAsync(new Azure.Data.Tables.TableEntity("active", Moment + "|" + reference) { ["Version"] = version, ["Live"] = true, ["Card"] = "{}" });

        await board.RefreshAsync(reference);
        var left = await table.GetEntityIfExistsAsync("active", Moment + "|" + reference);
        Assert.NotNull(left);
        Assert.False(left.GetBoolean("Live"));
        Assert.False(left.ContainsKey("Card"));
        Assert.Null(await table.GetEntityIfExistsAsync("active|" + Moment, reference));
    }

    [Fact]
    public async Task TheBoardRebuildPutsAnOpenReferralOnAViewAddedAfterItsLastStep()
    {
        var hh = new LifecycleDriver(factory);
        var board = hh.Service<CaseBoard>();
        var table = hh.Service<TableProvider>().Get(CaseBoard.TableName);
        var reference = await hh.SubmitAsync();
        await board.RefreshAsync(reference);
        var (dueKey, _) = await DueRowAsync(table, hh.Service<ReferralWorkflowStore>(), reference);

        // The board as a refresh wrote it before the due view existed: no due row, and none listed.
        await table.DeleteEntityAsync("due", dueKey, Azure.ETag.All);
        var own = (await table.GetEntityIfExistsAsync("ref|" + reference, "views"))!;
        own["Views"] = string.Join(',', own.GetString("Views")!.Split(',').Where(v => !v.StartsWith("due|", StringComparison.Ordinal)));
        await table.UpdateEntityAsync(own, own.ETag, Azure.Data.Tables.TableUpdateMode.Replace);
        Assert.DoesNotContain(await ListAsync(board.DueBeforeAsync(DateTimeOffset.MaxValue)), c => c.Reference == reference);

        var said = await HandInHand.Host.Reports.RebuildCommand.RunAsync(factory.Services, HandInHand.Host.Reports.RebuildCommand.Board, CancellationToken.None);
        Assert.Matches(@"^Case board rows refreshed for [1-9]\d* referrals\.$", said);
        Assert.Contains(await ListAsync(board.DueBeforeAsync(DateTimeOffset.MaxValue)), c => c.Reference == reference);
        Assert.Equal([Stage.AwaitingTriage], await ViewsAsync(board, reference, null));
    }

    [Fact]
    public async Task ThePanelsViewHoldsTrustedRelationshipsReferralsWaitingForThePanelAndNoOthers()
    {
        var hh = new LifecycleDriver(factory);
        var board = hh.Service<CaseBoard>();
        var table = hh.Service<TableProvider>().Get(CaseBoard.TableName);
        await hh.PutPractitionerAsync(LifecycleDriver.SelbyPractitioner, LifecycleDriver.Selby, 50);
        var handInHand = await hh.SubmitAsync();
        var trusted = await hh.SubmitAsync(hh.Form().AsTrustedRelationships());
        await board.RefreshAsync(handInHand);
        await board.RefreshAsync(trusted);

        Assert.Equal([Stage.AwaitingTriage], (await ListAsync(board.ForPanelAsync(CaseBoard.PanelStages))).Where(c => c.Reference == trusted).Select(c => c.Stage));
        Assert.DoesNotContain(await ListAsync(board.ForPanelAsync(CaseBoard.PanelStages)), c => c.Reference == handInHand);
        Assert.DoesNotContain(await ListAsync(board.ForPanelAsync([Stage.AwaitingAllocation])), c => c.Reference == trusted);
        Assert.True((await table.GetEntityIfExistsAsync("panel", "AwaitingTriage|" + trusted))!.GetBoolean("Live"));

        // Accepted, it waits for its strand: one range on, and a tombstone where it was.
        await hh.CommandAsync(trusted, "accept", StaffActor.Panel);
        await board.RefreshAsync(trusted);
        Assert.Equal([Stage.AwaitingAllocation], (await ListAsync(board.ForPanelAsync([Stage.AwaitingAllocation]))).Where(c => c.Reference == trusted).Select(c => c.Stage));
        Assert.DoesNotContain(await ListAsync(board.ForPanelAsync([Stage.AwaitingTriage])), c => c.Reference == trusted);
        Assert.False((await table.GetEntityIfExistsAsync("panel", "AwaitingTriage|" + trusted))!.GetBoolean("Live"));

        // Allocated, it has left the panel's work.
        await hh.CommandAsync(trusted, "allocate", StaffActor.Panel, new System.Text.Json.Nodes.JsonObject { ["practitionerId"] = LifecycleDriver.SelbyPractitioner, ["strand"] = "at-risk" });
        await board.RefreshAsync(trusted);
        Assert.DoesNotContain(await ListAsync(board.ForPanelAsync(CaseBoard.PanelStages)), c => c.Reference == trusted);
        Assert.DoesNotContain("panel|", (await table.GetEntityIfExistsAsync("ref|" + trusted, "views"))!.GetString("Views"), StringComparison.Ordinal);
    }

    /// <summary>
    /// The referral's one live row in the due view, named exactly in its own row's list of views,
    /// keyed by its earliest escalation deadline; returns the row key and that deadline.
    /// </summary>
    private static async Task<(string Key, DateTimeOffset Due)> DueRowAsync(GuardedTableClient table, ReferralWorkflowStore store, string reference)
    {
        var card = CaseCard.Of((await store.LoadAsync(reference))!.State)!;
        var due = CaseBoard.Escalations.Select(card.Deadline).OfType<DateTimeOffset>().Min();
        var key = CaseBoard.SortableKey(due);
        var live = new List<string>();
        await foreach (var row in table.QueryAsync($"PartitionKey eq 'due' and Live eq true", ["RowKey"]))
        {
            if (row.RowKey.EndsWith("|" + reference, StringComparison.Ordinal))
            {
                live.Add(row.RowKey);
            }
        }

        Assert.Equal([key + "|" + reference], live);
        var views = (await table.GetEntityIfExistsAsync("ref|" + reference, "views"))!.GetString("Views")!.Split(',');
        Assert.Contains("due|" + key, views);
        return (key + "|" + reference, due);
    }

    /// <summary>The stages whose view lists the referral; also checks it is under its holder's view exactly when held.</summary>
    private static async Task<Stage[]> ViewsAsync(CaseBoard board, string reference, string? holder)
    {
        var stages = (await ListAsync(board.AtStagesAsync(CaseBoard.OpenStages))).Where(c => c.Reference == reference).Select(c => c.Stage).ToArray();
        if (holder is not null)
        {
            var held = (await ListAsync(board.HeldByAsync(holder))).Any(c => c.Reference == reference);
            Assert.Equal(stages.Any(s => s is Stage.Allocated or Stage.Active), held);
        }

        return stages;
    }

    /// <summary>Adds <paramref name="view"/> to the views the referral's own row lists, as an older refresh may have left it; returns the version the row is at.</summary>
    private static async Task<long> ListInOwnRowAsync(GuardedTableClient table, string reference, string view)
    {
        var own = (await table.GetEntityIfExistsAsync("ref|" + reference, "views"))!;
        own["Views"] = own.GetString("Views") + "," + view;
        await table.UpdateEntityAsync(own, own.ETag, Azure.Data.Tables.TableUpdateMode.Replace);
        return own.GetInt64("Version")!.Value;
    }

    private static async Task<List<T>> ListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }
}
