using System.Net;
using System.Text.Json.Nodes;
using HandInHand.Domain.Lifecycle;
using HandInHand.Host.Staff;
using HandInHand.Host.Tests.Lifecycle;
using HandInHand.Host.Tests.Referrals;
using HandInHand.Host.Tests.Support;
using HandInHand.Infrastructure.Workflow;

namespace HandInHand.Host.Tests.Security;

/// <summary>
/// The panel decides and allocates Trusted Relationships referrals (PRODUCT.md §6) and nothing
/// else: a Hand in Hand referral is as closed to it as another practitioner's case is to a
/// practitioner, and it has none of the manager's service-wide or data-controller views.
/// </summary>
public sealed class PanelAccessTests(HandInHandFactory factory) : IClassFixture<HandInHandFactory>
{
    private readonly LifecycleDriver _hh = new(factory);

    [Fact]
    public async Task ThePanelGetsTheSame404ForAHandInHandReferralAsForOneThatDoesNotExist()
    {
        var reference = await _hh.SubmitAsync(_hh.Form());
        var before = await _hh.ViewAsync(reference);

        var read = await LifecycleDriver.ProblemAsync(await _hh.GetAsync($"/api/referrals/{reference}", StaffActor.Panel), HttpStatusCode.NotFound);
        var missing = await LifecycleDriver.ProblemAsync(await _hh.GetAsync("/api/referrals/HH-2026-99999", StaffActor.Panel), HttpStatusCode.NotFound);
        await LifecycleDriver.ProblemAsync(await _hh.GetAsync($"/api/referrals/{reference}/timeline", StaffActor.Panel), HttpStatusCode.NotFound);
        await LifecycleDriver.ProblemAsync(await _hh.SendAsync(reference, "withdraw", StaffActor.Panel, new JsonObject { ["reason"] = "x", ["category"] = "other" }), HttpStatusCode.NotFound);
        await LifecycleDriver.ProblemAsync(await _hh.SendAsync(reference, "request-information", StaffActor.Panel), HttpStatusCode.NotFound);

        Assert.Equal(missing.GetProperty("detail").GetString(), read.GetProperty("detail").GetString());
        Assert.Equal(before.Version, (await _hh.ViewAsync(reference)).Version);
    }

    [Fact]
    public async Task ThePanelsTriageQueueListsOnlyTrustedRelationshipsReferralsWhileTheManagersListsBoth()
    {
        var handInHand = await _hh.SubmitAsync(_hh.Form());
        var trusted = await _hh.SubmitAsync(TrustedRelationshipsForm());

        var panels = (await _hh.GetOkAsync<List<QueueItem>>("/api/staff/triage-queue", StaffActor.Panel)).Select(q => q.Reference).ToList();
        var managers = (await _hh.GetOkAsync<List<QueueItem>>("/api/staff/triage-queue", StaffActor.Manager)).Select(q => q.Reference).ToList();

        Assert.Contains(trusted, panels);
        Assert.DoesNotContain(handInHand, panels);
        Assert.All(panels, r => Assert.StartsWith("TR-", r, StringComparison.Ordinal));
        Assert.Contains(handInHand, managers);
        Assert.Contains(trusted, managers);
    }

    [Fact]
    public async Task ThePanelsWaitingListLeavesOutHandInHandReferralsWhileTheManagersListsThem()
    {
        // A region whose practitioner has no places: an accepted Hand in Hand referral there waits.
        const string hambleton = "Hambleton and Richmondshire";
        await _hh.PutPractitionerAsync("practitioner-hambleton-richmondshire", hambleton, capacity: 0);
        var waiting = await _hh.SubmitAsync(_hh.Form(region: hambleton));
        Assert.Equal("WaitingList", (await _hh.AcceptAsync(waiting)).Stage);

        // The panel's list is told apart by the waiting referrals' cards on the case board.
        await LifecycleDriver.EventuallyAsync(
            async () =>
            {
                await foreach (var card in _hh.Service<CaseBoard>().AtStagesAsync([Stage.WaitingList]))
                {
                    if (card.Reference == waiting)
                    {
                        return true;
                    }
                }

                return false;
            },
            "the waiting referral's card on the board");
        var panels = (await _hh.GetOkAsync<List<WaitingItem>>("/api/staff/waiting-list", StaffActor.Panel)).Select(w => w.Reference).ToList();
        var managers = (await _hh.GetOkAsync<List<WaitingItem>>("/api/staff/waiting-list", StaffActor.Manager)).Select(w => w.Reference).ToList();

        Assert.DoesNotContain(waiting, panels);
        Assert.All(panels, r => Assert.StartsWith("TR-", r, StringComparison.Ordinal));
        Assert.Contains(waiting, managers);
    }

    [Fact]
    public async Task ThePanelReadsAndDecidesATrustedRelationshipsReferralAndListsPractitionersToAllocate()
    {
        var trusted = await _hh.SubmitAsync(TrustedRelationshipsForm());

        Assert.Equal("AwaitingTriage", (await _hh.ViewAsync(trusted, StaffActor.Panel)).Stage);
        Assert.Equal("AwaitingAllocation", (await _hh.CommandAsync(trusted, "accept", StaffActor.Panel)).Stage);
        Assert.Contains(await _hh.GetOkAsync<List<JsonObject>>("/api/staff/practitioners", StaffActor.Panel), p => (string?)p["id"] == LifecycleDriver.SelbyPractitioner);
        var allocated = await _hh.CommandAsync(trusted, "allocate", StaffActor.Panel, new JsonObject { ["practitionerId"] = LifecycleDriver.SelbyPractitioner, ["strand"] = "at-risk" });
        Assert.Equal("Allocated", allocated.Stage);
    }

    [Theory]
    [InlineData("GET", "/staff/dashboard")]
    [InlineData("GET", "/reports")]
    [InlineData("GET", "/api/reports")]
    [InlineData("GET", "/api/staff/caseloads")]
    [InlineData("GET", "/api/staff/emails")]
    [InlineData("GET", "/api/staff/retention-reviews")]
    [InlineData("PUT", "/api/staff/practitioners/practitioner-selby")]
    public async Task ThePanelHasNoServiceWideOrDataControllerViews(string method, string path)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "PUT" ? new StringContent("{}", System.Text.Encoding.UTF8, "application/json") : null };
        request.Headers.Add("X-Actor-Id", StaffActor.Panel.Id);
        request.Headers.Add("X-Actor-Role", StaffActor.Panel.Role);

        Assert.Equal(HttpStatusCode.Forbidden, (await _hh.Client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task ThePanelCannotExportOrAuditEvenATrustedRelationshipsReferral()
    {
        var trusted = await _hh.SubmitAsync(TrustedRelationshipsForm());

        Assert.Equal(HttpStatusCode.Forbidden, (await _hh.GetAsync($"/api/referrals/{trusted}/subject-access-export", StaffActor.Panel)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _hh.GetAsync($"/api/referrals/{trusted}/audit", StaffActor.Panel)).StatusCode);
    }

    private JsonObject TrustedRelationshipsForm() => _hh.Form().AsTrustedRelationships();
}
