using System.Text.Json.Nodes;
using HandInHand.Domain.Lifecycle;
using HandInHand.Host.Staff;
using HandInHand.Host.Tests.Support;
using HandInHand.Infrastructure.Workflow;

namespace HandInHand.Host.Tests.Lifecycle;

/// <summary>Allocation with capacity and the waiting list, ordered by risk and then arrival (PRODUCT.md §3, step 3).</summary>
public sealed class WaitingListTests(HandInHandFactory factory) : IClassFixture<HandInHandFactory>
{
    private const string York = "City of York";
    private const string Craven = "Craven and Harrogate";

    private readonly LifecycleDriver _hh = new(factory);

    [Fact]
    public async Task AFreedCaseloadPlaceGoesToTheHighestRiskThenOldestReferralWaitingInItsRegion()
    {
        await _hh.PutPractitionerAsync(LifecycleDriver.SelbyPractitioner, LifecycleDriver.Selby, capacity: 1);
        await _hh.PutPractitionerAsync("practitioner-york", York, capacity: 0);

        // The oldest high-risk referral of all waits in another region.
        var york = await SubmitAndAcceptAsync(York, "high");
        var held = await SubmitAndAcceptAsync(LifecycleDriver.Selby, "standard");
        var standardOlder = await SubmitAndAcceptAsync(LifecycleDriver.Selby, "standard");
        var highNewer = await SubmitAndAcceptAsync(LifecycleDriver.Selby, "high");
        var highNewest = await SubmitAndAcceptAsync(LifecycleDriver.Selby, "high");
        Assert.Equal("Allocated", (await _hh.ViewAsync(held.Reference)).Stage);
        foreach (var waiting in new[] { york, standardOlder, highNewer, highNewest })
        {
            Assert.Equal("WaitingList", (await _hh.ViewAsync(waiting.Reference)).Stage);
        }

        factory.Clock.Advance(TimeSpan.FromDays(2));
        var list = await WaitingListAsync(LifecycleDriver.Selby, York);
        Assert.Equal([york.Reference, highNewer.Reference, highNewest.Reference, standardOlder.Reference], list.Select(w => w.Reference));
        Assert.Equal(["High", "High", "High", "Standard"], list.Select(w => w.RiskLevel));
        var byReference = list.ToDictionary(w => w.Reference);
        foreach (var waiting in new[] { york, standardOlder, highNewer, highNewest })
        {
            Assert.Equal(waiting.AcceptedAt, byReference[waiting.Reference].JoinedAt);
            Assert.Equal(_hh.Now - waiting.AcceptedAt, byReference[waiting.Reference].Waited);
        }

        Assert.True(byReference[standardOlder.Reference].Waited > byReference[highNewest.Reference].Waited);

        await _hh.CommandAsync(held.Reference, "close", StaffActor.Selby, new JsonObject { ["reason"] = "moved away", ["riskLevel"] = "standard" });

        var offered = await _hh.ViewAsync(highNewer.Reference);
        Assert.Equal("Allocated", offered.Stage);
        Assert.Equal(LifecycleDriver.SelbyPractitioner, offered.PractitionerId);
        var notice = Assert.Single(await _hh.NotificationsAsync(highNewer.Reference, NotificationKind.AllocationNotice));
        Assert.Equal(LifecycleDriver.SelbyPractitioner, notice.RecipientId);
        Assert.Equal([york.Reference, highNewest.Reference, standardOlder.Reference], (await WaitingListAsync(LifecycleDriver.Selby, York)).Select(w => w.Reference));
        Assert.Equal("WaitingList", (await _hh.ViewAsync(york.Reference)).Stage);
        var selby = Assert.Single(await _hh.GetOkAsync<List<CaseloadItem>>("/api/staff/caseloads"), c => c.PractitionerId == LifecycleDriver.SelbyPractitioner);
        Assert.Equal(1, selby.Held);
        Assert.Equal([highNewer.Reference], selby.References);

        // And again: the next high-risk referral before the older standard one.
        await _hh.CommandAsync(highNewer.Reference, "close", StaffActor.Selby, new JsonObject { ["reason"] = "declined support", ["riskLevel"] = "high" });

        Assert.Equal(LifecycleDriver.SelbyPractitioner, (await _hh.ViewAsync(highNewest.Reference)).PractitionerId);
        Assert.Equal([york.Reference, standardOlder.Reference], (await WaitingListAsync(LifecycleDriver.Selby, York)).Select(w => w.Reference));
    }

    [Fact]
    public async Task RaisingAPractitionersCapacityOffersThePlaceToTheWaitingListAtOnce()
    {
        const string region = "Scarborough, Whitby and Ryedale";
        const string practitioner = "practitioner-scarborough-whitby-ryedale";
        var held = Assert.Single(await _hh.GetOkAsync<List<CaseloadItem>>("/api/staff/caseloads"), c => c.PractitionerId == practitioner).Held;
        await _hh.PutPractitionerAsync(practitioner, region, capacity: held);
        var waiting = await SubmitAndAcceptAsync(region, "medium");
        Assert.Equal("WaitingList", (await _hh.ViewAsync(waiting.Reference)).Stage);

        await _hh.PutPractitionerAsync(practitioner, region, capacity: held + 1);

        var allocated = await _hh.ViewAsync(waiting.Reference);
        Assert.Equal("Allocated", allocated.Stage);
        Assert.Equal(practitioner, allocated.PractitionerId);
        Assert.DoesNotContain(await WaitingListAsync(), w => w.Reference == waiting.Reference);
    }

    [Fact]
    public async Task PlacesOfferedToTheSameWaitingReferralAtOnceLeaveItHoldingOnePlaceAndTheRestFree()
    {
        const string region = "Hambleton and Richmondshire";
        const string practitioner = "practitioner-hambleton-richmondshire";
        await _hh.PutPractitionerAsync(practitioner, region, capacity: 0);
        var waiting = await SubmitAndAcceptAsync(region, "high");
        Assert.Equal("WaitingList", (await _hh.ViewAsync(waiting.Reference)).Stage);

        // Places freed at once (cases closing together, a capacity raised twice, an inline drain
        // racing the dispatcher's) are each offered to the head of the waiting list.
        var raised = new Practitioner(practitioner, "Practitioner " + practitioner, [region], 4);
        await _hh.Service<PractitionerDirectory>().SaveAsync(raised);
        var allocation = _hh.Service<AllocationService>();
        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => allocation.OfferAsync(raised)))
            .Append(_hh.PutPractitionerAsync(practitioner, region, capacity: 4))
            .Append(_hh.PutPractitionerAsync(practitioner, region, capacity: 4)));

        Assert.Equal(practitioner, (await _hh.ViewAsync(waiting.Reference)).PractitionerId);
        Assert.Single(await _hh.TimelineAsync(waiting.Reference), s => s.Type == "Allocated");
        var caseload = Assert.Single(await _hh.GetOkAsync<List<CaseloadItem>>("/api/staff/caseloads"), c => c.PractitionerId == practitioner);
        Assert.Equal([waiting.Reference], caseload.References);
        Assert.Equal(1, caseload.Held);

        // The other three places are still there to be taken.
        for (var i = 0; i < 3; i++)
        {
            var next = await SubmitAndAcceptAsync(region, "standard");
            Assert.Equal(practitioner, (await _hh.ViewAsync(next.Reference)).PractitionerId);
        }
    }

    [Fact]
    public async Task WithdrawingAnAllocatedReferralFreesItsPlaceForTheWaitingListAndWithdrawingAWaitingOneTakesItOff()
    {
        const string region = "Scarborough, Whitby and Ryedale";
        const string practitioner = "practitioner-scarborough-whitby-ryedale";
        var held = Assert.Single(await _hh.GetOkAsync<List<CaseloadItem>>("/api/staff/caseloads"), c => c.PractitionerId == practitioner).Held;
        await _hh.PutPractitionerAsync(practitioner, region, capacity: held + 1);
        var allocated = await SubmitAndAcceptAsync(region, "medium");
        var first = await SubmitAndAcceptAsync(region, "medium");
        var second = await SubmitAndAcceptAsync(region, "medium");
        Assert.Equal(practitioner, (await _hh.ViewAsync(allocated.Reference)).PractitionerId);
        Assert.Equal([first.Reference, second.Reference], (await WaitingListAsync(region)).Select(w => w.Reference));

        var withdrawn = await _hh.ReferrerAsync(second.Reference, "withdraw", new JsonObject { ["reason"] = "Support found elsewhere", ["category"] = "no-longer-needed" });
        Assert.Equal("Withdrawn", withdrawn.Status);
        Assert.Equal([first.Reference], (await WaitingListAsync(region)).Select(w => w.Reference));

        await _hh.CommandAsync(allocated.Reference, "withdraw", StaffActor.Manager, new JsonObject { ["reason"] = "Family moved away", ["category"] = "no-longer-needed" });

        Assert.Equal(practitioner, (await _hh.ViewAsync(first.Reference)).PractitionerId);
        Assert.Empty(await WaitingListAsync(region));
        var caseload = Assert.Single(await _hh.GetOkAsync<List<CaseloadItem>>("/api/staff/caseloads"), c => c.PractitionerId == practitioner);
        Assert.Contains(first.Reference, caseload.References);
        Assert.DoesNotContain(allocated.Reference, caseload.References);
        Assert.Equal(held + 1, caseload.Held);
    }

    [Fact]
    public async Task AWaitingReferralIsCheckedWithTheReferrerEvery14DaysUntilAPlaceIsFound()
    {
        await _hh.PutPractitionerAsync("practitioner-craven-harrogate", Craven, capacity: 0);
        var waiting = await SubmitAndAcceptAsync(Craven, "standard");

        await _hh.TickAtAsync(waiting.AcceptedAt.AddDays(14).AddMinutes(-1));
        Assert.Empty(await _hh.NotificationsAsync(waiting.Reference, NotificationKind.WaitingListCheck));
        await _hh.TickAtAsync(waiting.AcceptedAt.AddDays(14));
        await _hh.TickAsync();
        var check = Assert.Single(await _hh.NotificationsAsync(waiting.Reference, NotificationKind.WaitingListCheck));
        Assert.Equal(nameof(Role.Referrer), check.RecipientRole);

        Assert.Equal("Accepted", (await _hh.ReferrerAsync(waiting.Reference, "still-needed")).Status);
        Assert.Equal("WaitingList", (await _hh.ViewAsync(waiting.Reference)).Stage);
        await _hh.TickAtAsync(waiting.AcceptedAt.AddDays(28));
        Assert.Equal(2, (await _hh.NotificationsAsync(waiting.Reference, NotificationKind.WaitingListCheck)).Count);

        await _hh.PutPractitionerAsync("practitioner-craven-harrogate", Craven, capacity: 8);
        var allocated = await _hh.ViewAsync(waiting.Reference);
        Assert.Equal("Allocated", allocated.Stage);
        Assert.DoesNotContain(nameof(TimerKind.WaitingListCheck), allocated.Timers.Keys);
        await _hh.TickAtAsync(waiting.AcceptedAt.AddDays(60));
        Assert.Equal(2, (await _hh.NotificationsAsync(waiting.Reference, NotificationKind.WaitingListCheck)).Count);
    }

    private async Task<(string Reference, DateTimeOffset AcceptedAt)> SubmitAndAcceptAsync(string region, string risk)
    {
        factory.Clock.Advance(TimeSpan.FromMinutes(1));
        var reference = await _hh.SubmitAsync(_hh.Form(region, risk));
        var acceptedAt = _hh.Now;
        await _hh.AcceptAsync(reference);
        return (reference, acceptedAt);
    }

    /// <summary>The waiting list view, narrowed to the regions a test uses (the view shows every region).</summary>
    private async Task<List<WaitingItem>> WaitingListAsync(params string[] regions) =>
        [.. (await _hh.GetOkAsync<List<WaitingItem>>("/api/staff/waiting-list")).Where(w => regions.Length == 0 || regions.Contains(w.Region))];
}
