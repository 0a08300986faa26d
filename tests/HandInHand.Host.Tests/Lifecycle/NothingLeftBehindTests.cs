using System.Text.Json.Nodes;
using HandInHand.Domain.Lifecycle;
using HandInHand.Host.Tests.Support;
using HandInHand.Infrastructure.Referrals;
using HandInHand.Infrastructure.Storage;
using HandInHand.Infrastructure.Workflow;
using Microsoft.AspNetCore.Hosting;
using Microsoft.DurableTask.Client;

namespace HandInHand.Host.Tests.Lifecycle;

/// <summary>
/// Many referrals driven down different paths, with racing decisions and real timers firing, leave
/// nothing behind: every row of a referral's partition belongs to a recorded referral, its history
/// runs unbroken up to its version, no timer is left overdue, no orchestration has failed, and the
/// waiting list and caseloads hold exactly the referrals that are waiting or held.
/// </summary>
public sealed class NothingLeftBehindTests(NothingLeftBehindTests.ShortClockFactory factory) : IClassFixture<NothingLeftBehindTests.ShortClockFactory>
{
    private const int PerPath = 4;

    private static readonly string[] Regions = ["Selby", "City of York", "Craven and Harrogate", "Hambleton and Richmondshire", "Scarborough, Whitby and Ryedale"];

    private readonly LifecycleDriver _hh = new(factory);

    [Fact]
    public async Task ManyReferralsOnManyPathsLeaveNoOrphanedRowNoOverdueTimerAndNoFailedOrchestration()
    {
        var all = new List<string>();
        async Task<List<string>> SubmitManyAsync()
        {
            var references = new List<string>();
            for (var i = 0; i < PerPath; i++)
            {
                references.Add(await _hh.SubmitAsync(_hh.Form(Regions[all.Count % Regions.Length], i % 3 == 0 ? "standard" : "high")));
                all.Add(references[^1]);
            }

            return references;
        }

        var untouched = await SubmitManyAsync();
        var raced = await SubmitManyAsync();
        var supported = await SubmitManyAsync();
        var askedForMore = await SubmitManyAsync();
        Assert.NotEmpty(untouched);

        // Conflicting decisions at once: one of each pair is refused and must leave nothing but its outcome.
        await Task.WhenAll(raced.SelectMany(r => new[]
        {
            _hh.SendAsync(r, "accept", StaffActor.Manager),
            _hh.SendAsync(r, "decline", StaffActor.Manager, new JsonObject { ["reason"] = "Outside the criteria", ["category"] = "criteria" }),
        }));
        foreach (var r in supported)
        {
            await _hh.AcceptAsync(r);
        }

        // Some information given at once, the rest left to close as no-response.
        for (var i = 0; i < askedForMore.Count; i++)
        {
            await _hh.CommandAsync(askedForMore[i], "request-information", StaffActor.Manager);
            if (i < PerPath / 2)
            {
                await _hh.ReferrerAsync(askedForMore[i], "information");
                await _hh.AcceptAsync(askedForMore[i]);
            }
        }

        // Some first contacts made, some left to miss their deadline.
        foreach (var r in supported.Take(PerPath / 2))
        {
            var view = await _hh.ViewAsync(r);
            if (view.PractitionerId is { } holder && view.Stage == "Allocated")
            {
                await _hh.CommandAsync(r, "first-contact", StaffActor.Practitioner(holder), new JsonObject { ["consent"] = true });
            }
        }

        foreach (var r in askedForMore.Skip(PerPath / 2))
        {
            await LifecycleDriver.EventuallyAsync(async () => (await _hh.ViewAsync(r)).Stage == "Closed", $"{r} closed as no-response", TimeSpan.FromSeconds(60));
        }

        // Then the cases being supported close, and their survey clocks run out in turn.
        foreach (var r in supported)
        {
            var view = await _hh.ViewAsync(r);
            if (view.Stage is "Active" or "Allocated")
            {
                await _hh.CommandAsync(r, "close", StaffActor.Manager, LifecycleDriver.Closure());
            }
        }

        var store = _hh.Service<ReferralWorkflowStore>();
        await LifecycleDriver.PastAsync(await LastShortTimerAsync(store, all) + TimeSpan.FromSeconds(6));

        var client = _hh.Service<DurableTaskClient>();
        var states = new Dictionary<string, ReferralState>(StringComparer.Ordinal);
        foreach (var reference in all)
        {
            var loaded = await store.LoadAsync(reference);
            Assert.NotNull(loaded);
            states[reference] = loaded.State;

            // Slack for a timer that is late under load; anything older was never fired.
            var overdue = loaded.State.Timers.Where(t => t.Value < DateTimeOffset.UtcNow - TimeSpan.FromSeconds(5)).ToList();
            Assert.True(overdue.Count == 0, $"{reference} ({loaded.State.Stage}) still holds {string.Join(", ", overdue.Select(t => $"{t.Key} due {t.Value:O}"))}");

            var history = await store.ReadHistoryAsync(reference);
            Assert.Equal(Enumerable.Range(1, (int)loaded.Version).Select(n => (long)n), history.Select(h => h.Sequence));

            var instance = await client.GetInstanceAsync(reference);
            Assert.NotNull(instance);
            Assert.True(
                instance.RuntimeStatus is OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Completed,
                $"{reference}'s orchestration is {instance.RuntimeStatus}");
        }

        foreach (var r in raced)
        {
            var decisions = (await _hh.TimelineAsync(r)).Count(s => s.Type is "Accepted" or "Declined");
            Assert.Equal(1, decisions);
        }

        Assert.All(askedForMore.Skip(PerPath / 2), r => Assert.Equal(ClosureReasons.NoResponse, states[r].ClosureReason));

        // Every partition of the referrals table is a recorded referral's: no outcome or history
        // row of a step that never landed.
        var partitions = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        await foreach (var row in _hh.Service<TableProvider>().Get(ReferralTables.Referrals).QueryAsync(select: ["PartitionKey", "RowKey"]))
        {
            (partitions.TryGetValue(row.PartitionKey, out var rows) ? rows : partitions[row.PartitionKey] = []).Add(row.RowKey);
        }

        Assert.Equal(all.Order(StringComparer.Ordinal), partitions.Keys.Order(StringComparer.Ordinal));
        Assert.All(partitions, p => Assert.Contains(ReferralWorkflowStore.StateRow, p.Value));

        // The waiting list and the caseloads hold exactly the referrals waiting and held.
        var waiting = (await _hh.Service<WaitingListIndex>().ListAsync()).Select(w => w.Reference).Order(StringComparer.Ordinal);
        Assert.Equal(states.Where(s => s.Value.Stage == Stage.WaitingList).Select(s => s.Key).Order(StringComparer.Ordinal), waiting);
        var held = new List<(string Practitioner, string Reference)>();
        foreach (var practitioner in await _hh.Service<PractitionerDirectory>().ListAsync())
        {
            held.AddRange((await _hh.Service<CaseloadLedger>().ListAsync(practitioner.Id)).Select(p => (practitioner.Id, p.Reference)));
        }

        Assert.Equal(
            states.Where(s => s.Value.Stage is Stage.Allocated or Stage.Active).Select(s => (s.Value.PractitionerId!, s.Key)).Order(),
            held.Order());
    }

    /// <summary>The latest of the timers set to go off within half a minute (the short clocks; not retention or triage by working days).</summary>
    private static async Task<DateTimeOffset> LastShortTimerAsync(ReferralWorkflowStore store, IEnumerable<string> references)
    {
        var soon = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30);
        var last = DateTimeOffset.UtcNow;
        foreach (var reference in references)
        {
            foreach (var due in (await store.LoadAsync(reference))!.State.Timers.Values.Where(d => d < soon && d > last))
            {
                last = due;
            }
        }

        return last;
    }

    /// <summary>The app with every lifecycle clock a few seconds long.</summary>
    public sealed class ShortClockFactory : HandInHandFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Lifecycle:TriageReminderAfter", "PT1S");
            builder.UseSetting("Lifecycle:FirstContactDeadline", "PT4S");
            builder.UseSetting("Lifecycle:FirstContactReminderBefore", "PT2S");
            builder.UseSetting("Lifecycle:InformationReminderAfter", "PT2S");
            // Long enough for the referrer's answer to come before it on a loaded machine: a whole
            // run on 2026-12-03 took more than 6 s from the request to the answer.
            builder.UseSetting("Lifecycle:InformationDeadline", "PT15S");
            builder.UseSetting("Lifecycle:WaitingListCheckEvery", "PT3S");
            builder.UseSetting("Lifecycle:ReviewEvery", "PT6S");
            builder.UseSetting("Lifecycle:ReviewReminderBefore", "PT2S");
            builder.UseSetting("Lifecycle:ReviewOverdueAfter", "PT2S");
            builder.UseSetting("Lifecycle:SurveyReminderAfter", "PT2S");
            builder.UseSetting("Lifecycle:SurveyExpiresAfter", "PT4S");
        }
    }
}
