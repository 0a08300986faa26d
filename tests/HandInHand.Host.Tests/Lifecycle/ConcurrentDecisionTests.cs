using System.Net;
using System.Text.Json.Nodes;
using HandInHand.Host.Staff;
using HandInHand.Host.Tests.Support;

namespace HandInHand.Host.Tests.Lifecycle;

/// <summary>Of two conflicting decisions made at the same moment, exactly one lands.</summary>
public sealed class ConcurrentDecisionTests(HandInHandFactory factory) : IClassFixture<HandInHandFactory>
{
    private const int Referrals = 16;

    private readonly LifecycleDriver _hh = new(factory);

    [Fact]
    public async Task AcceptAndDeclineFiredTogetherLetExactlyOneWinTheOtherGets409AndTheTimelineHasOneDecision()
    {
        var references = new List<string>();
        for (var i = 0; i < Referrals; i++)
        {
            references.Add(await _hh.SubmitAsync(_hh.Form()));
        }

        // Every pair at once, and all the pairs at once.
        var races = await Task.WhenAll(references.Select(async reference =>
        {
            var accept = _hh.SendAsync(reference, "accept", StaffActor.Manager);
            var decline = _hh.SendAsync(reference, "decline", new StaffActor("manager-2", "manager"), new JsonObject { ["reason"] = "Outside the service's criteria", ["category"] = "criteria" });
            return (Reference: reference, Accept: await accept, Decline: await decline);
        }));

        var accepted = 0;
        foreach (var (reference, accept, decline) in races)
        {
            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], new[] { accept.StatusCode, decline.StatusCode }.Order());
            var loser = accept.StatusCode == HttpStatusCode.Conflict ? accept : decline;
            var problem = await LifecycleDriver.ProblemAsync(loser, HttpStatusCode.Conflict);
            Assert.Contains("step", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

            var timeline = await _hh.TimelineAsync(reference);
            var decision = Assert.Single(timeline, s => s.Type is "Accepted" or "Declined");
            var view = await _hh.ViewAsync(reference);
            if (accept.StatusCode == HttpStatusCode.OK)
            {
                accepted++;
                Assert.Equal("Accepted", decision.Type);
                Assert.Equal("manager-1", decision.ActorId);
                Assert.True(view.Stage is "Allocated" or "WaitingList", view.Stage);
            }
            else
            {
                Assert.Equal("Declined", decision.Type);
                Assert.Equal("manager-2", decision.ActorId);
                Assert.Equal("Declined", view.Stage);
                Assert.DoesNotContain(timeline, s => s.Type is "Allocated" or "PlacedOnWaitingList");
            }
        }

        // However the races fell, no accepted referral is left unallocated and nobody is over capacity.
        var selby = Assert.Single(await _hh.GetOkAsync<List<CaseloadItem>>("/api/staff/caseloads"), c => c.PractitionerId == LifecycleDriver.SelbyPractitioner);
        Assert.Equal(Math.Min(accepted, selby.Capacity), selby.Held);
        var waiting = await _hh.GetOkAsync<List<WaitingItem>>("/api/staff/waiting-list");
        Assert.Equal(accepted - selby.Held, waiting.Count);
    }
}
