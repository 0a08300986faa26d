using System.Text.Json.Nodes;
using HandInHand.Host.Tests.Support;
using HandInHand.Infrastructure.Workflow;

namespace HandInHand.Host.Tests.Lifecycle;

/// <summary>The due-time index holds a row for each timer still set, and nothing else once its time has passed.</summary>
public sealed class TimerIndexHygieneTests(HandInHandFactory factory) : IClassFixture<HandInHandFactory>
{
    private const int PerPath = 6;

    private static readonly string[] Regions = ["Selby", "City of York", "Craven and Harrogate", "Hambleton and Richmondshire", "Scarborough, Whitby and Ryedale"];

    private readonly LifecycleDriver _hh = new(factory);

    [Fact]
    public async Task ManyTicksOverManyReferralsLeaveNoIndexRowForASatisfiedOrCancelledTimerOnceItsTimeHasPassed()
    {
        var start = _hh.Now;
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

        // Conflicting decisions at once: the loser's index rows belong to a step that never lands.
        await Task.WhenAll(raced.SelectMany(r => new[]
        {
            _hh.SendAsync(r, "accept", StaffActor.Manager),
            _hh.SendAsync(r, "decline", StaffActor.Manager, new JsonObject { ["reason"] = "Outside the criteria", ["category"] = "criteria" }),
        }));
        foreach (var r in supported)
        {
            await _hh.AcceptAsync(r);
        }

        foreach (var r in askedForMore)
        {
            await _hh.CommandAsync(r, "request-information", StaffActor.Manager);
        }

        async Task AtAsync(TimeSpan offset, Func<Task>? then = null)
        {
            await _hh.TickAtAsync(start + offset);
            if (then is not null)
            {
                await then();
            }

            await _hh.TickAsync();
        }

        await AtAsync(TimeSpan.FromHours(3), async () =>
        {
            foreach (var r in supported)
            {
                var holder = (await _hh.ViewAsync(r)).PractitionerId;
                if (holder is not null)
                {
                    await _hh.CommandAsync(r, "first-contact", StaffActor.Practitioner(holder), new JsonObject { ["consent"] = true });
                }
            }
        });
        await AtAsync(TimeSpan.FromDays(1), async () =>
        {
            foreach (var r in askedForMore.Take(PerPath / 2))
            {
                await _hh.ReferrerAsync(r, "information");
                await _hh.AcceptAsync(r);
            }
        });
        foreach (var day in new[] { 2, 3, 10, 11, 14 })
        {
            await AtAsync(TimeSpan.FromDays(day));
        }

        await AtAsync(TimeSpan.FromDays(20), async () =>
        {
            foreach (var r in supported)
            {
                var view = await _hh.ViewAsync(r);
                if (view.Stage == "Active")
                {
                    await _hh.CommandAsync(r, "reviews", StaffActor.Practitioner(view.PractitionerId!), LifecycleDriver.Review());
                }
            }

            foreach (var r in askedForMore.Skip(PerPath / 2).Take(2))
            {
                await _hh.CommandAsync(r, "reopen", StaffActor.Manager, new JsonObject { ["reason"] = "The referrer called back" });
            }
        });
        await AtAsync(TimeSpan.FromDays(30), async () =>
        {
            foreach (var r in supported.Take(PerPath / 2))
            {
                var view = await _hh.ViewAsync(r);
                if (view.Stage is "Active" or "Allocated")
                {
                    await _hh.CommandAsync(r, "close", StaffActor.Manager, LifecycleDriver.Closure());
                }
            }
        });
        foreach (var day in new[] { 37, 39, 42, 49, 59, 62, 70, 90 })
        {
            await AtAsync(TimeSpan.FromDays(day));
        }

        var index = _hh.Service<TimerIndex>();
        var now = _hh.Now;
        var live = await LiveTimersAsync(all);
        Assert.All(live, t => Assert.True(t.DueAt > now, $"{t.Reference} still holds {t.Kind} due {t.DueAt:O}, which a tick at {now:O} should have fired"));

        // Nothing due is left behind; every timer still set has its row; any other row (a timer
        // cancelled, or set by a step that lost its race) is for a time still to come.
        Assert.Empty(await index.QueryDueAsync(now, 10_000));
        var rows = await index.QueryDueAsync(DateTimeOffset.MaxValue, 10_000);
        Assert.Equal(rows.Count, await index.CountAsync());
        var rowKeys = rows.Select(r => (r.Reference, r.Kind, r.DueAt)).ToHashSet();
        Assert.All(live, t => Assert.Contains(t, rowKeys));
        Assert.All(rows, r => Assert.True(r.DueAt > now));

        // Once those times pass too, the index holds exactly the timers still set: none. (The
        // retention reviews that fire leave outbox rows, due a grace period later, for a crash
        // before their drain; the next tick after that clears them.)
        var last = rows.Max(r => r.DueAt);
        await _hh.TickAtAsync(last);
        Assert.Empty(await LiveTimersAsync(all));
        Assert.All(await index.QueryDueAsync(DateTimeOffset.MaxValue, 10_000), r => Assert.Equal(TimerIndex.OutboxKind, r.Kind));
        await _hh.TickAtAsync(last.AddMinutes(1));
        Assert.Equal(0, await index.CountAsync());
        Assert.Equal(0, (await _hh.TickAsync()).Due);
    }

    private async Task<HashSet<(string Reference, string Kind, DateTimeOffset DueAt)>> LiveTimersAsync(IEnumerable<string> references)
    {
        var store = _hh.Service<ReferralWorkflowStore>();
        var live = new HashSet<(string Reference, string Kind, DateTimeOffset DueAt)>();
        foreach (var reference in references)
        {
            Assert.Empty(await store.ReadOutboxAsync(reference));
            foreach (var (kind, due) in (await store.LoadAsync(reference))!.State.Timers)
            {
                live.Add((reference, kind.ToString(), due));
            }
        }

        return live;
    }
}
