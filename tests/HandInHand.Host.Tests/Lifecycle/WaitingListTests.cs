using System.Text.Json.Nodes;
using HandInHand.Domain.Lifecycle;
using HandInHand.Host.Staff;
using HandInHand.Host.Tests.Support;
using HandInHand.Infrastructure.Orchestration;
using HandInHand.Infrastructure.Workflow;
using Microsoft.AspNetCore.Hosting;

namespace HandInHand.Host.Tests.Lifecycle;

/// <summary>
/// Allocation with capacity and the waiting list, ordered by risk and then arrival (PRODUCT.md §3,
/// step 3). A freed place is handed on by the freeing referral's orchestration as a command to the
/// waiting one, so the waiting referral's allocation is waited for, not read at once.
/// </summary>
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
        Assert.Equal("Allocated", (await _hh.ViewAsync(held)).Stage);
        foreach (var waiting in new[] { york, standardOlder, highNewer, highNewest })
        {
            Assert.Equal("WaitingList", (await _hh.ViewAsync(waiting)).Stage);
        }

        // The host's clock catches up with the time the referrals joined (real time, a little later).
        await Task.Delay(TimeSpan.FromSeconds(1));
        factory.Clock.SetUtcNow(DateTimeOffset.UtcNow);
        var list = await WaitingListAsync(LifecycleDriver.Selby, York);
        Assert.Equal([york, highNewer, highNewest, standardOlder], list.Select(w => w.Reference));
        Assert.Equal(["High", "High", "High", "Standard"], list.Select(w => w.RiskLevel));
        var byReference = list.ToDictionary(w => w.Reference);
        foreach (var waiting in new[] { york, standardOlder, highNewer, highNewest })
        {
            var placed = Assert.Single(await _hh.TimelineAsync(waiting), s => s.Type == "PlacedOnWaitingList");
            Assert.Equal(placed.At, byReference[waiting].JoinedAt);
            Assert.Equal(_hh.Now - placed.At, byReference[waiting].Waited);
        }

        Assert.True(byReference[standardOlder].Waited > byReference[highNewest].Waited);

        await _hh.CommandAsync(held, "close", StaffActor.Selby, new JsonObject { ["reason"] = "moved away", ["riskLevel"] = "standard" });

        await AllocatedAsync(highNewer, LifecycleDriver.SelbyPractitioner);
        var notice = Assert.Single(await _hh.NotifiedAsync(highNewer, NotificationKind.AllocationNotice));
        Assert.Equal(LifecycleDriver.SelbyPractitioner, notice.RecipientId);
        await LifecycleDriver.EventuallyAsync(async () => !(await WaitingListAsync(LifecycleDriver.Selby, York)).Any(w => w.Reference == highNewer), $"{highNewer} off the waiting list");
        Assert.Equal([york, highNewest, standardOlder], (await WaitingListAsync(LifecycleDriver.Selby, York)).Select(w => w.Reference));
        Assert.Equal("WaitingList", (await _hh.ViewAsync(york)).Stage);
        Assert.Equal("WaitingList", (await _hh.ViewAsync(highNewest)).Stage);
        var selby = Assert.Single(await _hh.GetOkAsync<List<CaseloadItem>>("/api/staff/caseloads"), c => c.PractitionerId == LifecycleDriver.SelbyPractitioner);
        Assert.Equal(1, selby.Held);
        Assert.Equal([highNewer], selby.References);

        // And again: the next high-risk referral before the older standard one.
        await _hh.CommandAsync(highNewer, "close", StaffActor.Selby, new JsonObject { ["reason"] = "declined support", ["riskLevel"] = "high" });

        await AllocatedAsync(highNewest, LifecycleDriver.SelbyPractitioner);
        await LifecycleDriver.EventuallyAsync(async () => !(await WaitingListAsync(LifecycleDriver.Selby, York)).Any(w => w.Reference == highNewest), $"{highNewest} off the waiting list");
        Assert.Equal([york, standardOlder], (await WaitingListAsync(LifecycleDriver.Selby, York)).Select(w => w.Reference));
        Assert.Equal("WaitingList", (await _hh.ViewAsync(standardOlder)).Stage);
    }

    [Fact]
    public async Task RaisingAPractitionersCapacityOffersThePlaceToTheWaitingListAtOnce()
    {
        const string region = "Scarborough, Whitby and Ryedale";
        const string practitioner = "practitioner-scarborough-whitby-ryedale";
        var held = Assert.Single(await _hh.GetOkAsync<List<CaseloadItem>>("/api/staff/caseloads"), c => c.PractitionerId == practitioner).Held;
        await _hh.PutPractitionerAsync(practitioner, region, capacity: held);
        var waiting = await SubmitAndAcceptAsync(region, "medium");
        Assert.Equal("WaitingList", (await _hh.ViewAsync(waiting)).Stage);

        await _hh.PutPractitionerAsync(practitioner, region, capacity: held + 1);

        await AllocatedAsync(waiting, practitioner);
        await LifecycleDriver.EventuallyAsync(async () => !(await WaitingListAsync()).Any(w => w.Reference == waiting), $"{waiting} off the waiting list");
    }

    [Fact]
    public async Task ConcurrentOffersOfFreedPlacesNeverExceedCapacityAndAllocateEachWaitingReferralOnce()
    {
        const string region = "Hambleton and Richmondshire";
        const string practitioner = "practitioner-hambleton-richmondshire";
        const int capacity = 3;
        await _hh.PutPractitionerAsync(practitioner, region, capacity: 0);
        var waiting = new List<string>();
        for (var i = 0; i < capacity + 2; i++)
        {
            waiting.Add(await SubmitAndAcceptAsync(region, "high"));
            Assert.Equal("WaitingList", (await _hh.ViewAsync(waiting[^1])).Stage);
        }

        // Places freed at once (cases closing together, a capacity raised twice) are each offered
        // to the waiting list: every offer takes a place first, so together they take no more
        // places than there are.
        var raised = new Practitioner(practitioner, "Practitioner " + practitioner, [region], capacity);
        await _hh.Service<PractitionerDirectory>().SaveAsync(raised);
        var allocation = _hh.Service<AllocationService>();
        var offering = Enumerable.Range(0, 16).Select(_ => Task.Run(() => allocation.OfferAsync(raised))).ToList();
        await Task.WhenAll(offering.Cast<Task>()
            .Append(_hh.PutPractitionerAsync(practitioner, region, capacity: capacity))
            .Append(_hh.PutPractitionerAsync(practitioner, region, capacity: capacity)));
        var offers = offering.SelectMany(o => o.Result).ToList();
        Assert.NotEmpty(offers);
        Assert.All(offers, o => Assert.Equal(practitioner, o.PractitionerId));
        Assert.All(offers, o => Assert.Contains(o.Reference, waiting));
        Assert.True(offers.Select(o => o.Reference).Distinct().Count() <= capacity, $"offers to {offers.Select(o => o.Reference).Distinct().Count()} referrals for {capacity} places");

        // Each offer goes to its referral as the app sends it; duplicates are refused or change nothing.
        var commands = _hh.Service<ReferralCommands>();
        await Task.WhenAll(offers.Select(o => Task.Run(async () =>
        {
            try
            {
                await commands.SendAsync(o.Reference, new ReferralCommand.Allocate(Actor.System, DateTimeOffset.UtcNow, o.PractitionerId, Manual: false));
            }
            catch (Exception ex) when (ex is CommandRejectedException or CommandPendingException)
            {
            }
        })));

        // A place a lost race left free is offered again by the next save of the practitioner.
        await _hh.PutPractitionerAsync(practitioner, region, capacity: capacity);
        List<string> allocated = [];
        await LifecycleDriver.EventuallyAsync(
            async () =>
            {
                allocated = [];
                foreach (var reference in waiting)
                {
                    if ((await _hh.ViewAsync(reference)).PractitionerId == practitioner)
                    {
                        allocated.Add(reference);
                    }
                }

                return allocated.Count == capacity;
            },
            $"{capacity} of the waiting referrals allocated to {practitioner}");

        foreach (var reference in waiting)
        {
            var timeline = await _hh.TimelineAsync(reference);
            Assert.Equal(allocated.Contains(reference) ? 1 : 0, timeline.Count(s => s.Type == "Allocated"));
            Assert.Equal(allocated.Contains(reference) ? "Allocated" : "WaitingList", (await _hh.ViewAsync(reference)).Stage);
        }

        var caseload = Assert.Single(await _hh.GetOkAsync<List<CaseloadItem>>("/api/staff/caseloads"), c => c.PractitionerId == practitioner);
        Assert.Equal(capacity, caseload.Held);
        Assert.Equal(allocated.Order(StringComparer.Ordinal), caseload.References.Order(StringComparer.Ordinal));
        Assert.Equal(waiting.Except(allocated).Order(StringComparer.Ordinal), (await WaitingListAsync(region)).Select(w => w.Reference).Order(StringComparer.Ordinal));
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
        Assert.Equal(practitioner, (await _hh.ViewAsync(allocated)).PractitionerId);
        Assert.Equal([first, second], (await WaitingListAsync(region)).Select(w => w.Reference));

        var withdrawn = await _hh.ReferrerAsync(second, "withdraw", new JsonObject { ["reason"] = "Support found elsewhere", ["category"] = "no-longer-needed" });
        Assert.Equal("Withdrawn", withdrawn.Status);
        Assert.Equal([first], (await WaitingListAsync(region)).Select(w => w.Reference));

        await _hh.CommandAsync(allocated, "withdraw", StaffActor.Manager, new JsonObject { ["reason"] = "Family moved away", ["category"] = "no-longer-needed" });

        await AllocatedAsync(first, practitioner);
        await LifecycleDriver.EventuallyAsync(async () => (await WaitingListAsync(region)).Count == 0, $"the {region} waiting list emptied");
        var caseload = Assert.Single(await _hh.GetOkAsync<List<CaseloadItem>>("/api/staff/caseloads"), c => c.PractitionerId == practitioner);
        Assert.Contains(first, caseload.References);
        Assert.DoesNotContain(allocated, caseload.References);
        Assert.Equal(held + 1, caseload.Held);
        Assert.Equal("Withdrawn", (await _hh.ViewAsync(second)).Stage);
    }

    [Fact]
    public async Task AWaitingReferralIsCheckedWithTheReferrerEvery14DaysUntilAPlaceIsFound()
    {
        await using var checking = new ShortWaitingListChecks();
        var hh = new LifecycleDriver(checking);
        await hh.PutPractitionerAsync("practitioner-craven-harrogate", Craven, capacity: 0);
        var waiting = await hh.SubmitAsync(hh.Form(Craven, "standard"));
        await hh.AcceptAsync(waiting);
        var placed = await hh.ViewAsync(waiting);
        Assert.Equal("WaitingList", placed.Stage);
        var firstDue = placed.Timers[nameof(TimerKind.WaitingListCheck)];
        var placedAt = Assert.Single(await hh.TimelineAsync(waiting), s => s.Type == "PlacedOnWaitingList").At;
        Assert.Equal(placedAt + ShortWaitingListChecks.Every, firstDue);

        var check = Assert.Single(await hh.NotifiedAsync(waiting, NotificationKind.WaitingListCheck));
        Assert.True(DateTimeOffset.UtcNow >= firstDue, $"the check came before {firstDue:O}");
        Assert.Equal(nameof(Role.Referrer), check.RecipientRole);

        Assert.Equal("Accepted", (await hh.ReferrerAsync(waiting, "still-needed")).Status);
        Assert.Equal("WaitingList", (await hh.ViewAsync(waiting)).Stage);
        await hh.NotifiedAsync(waiting, NotificationKind.WaitingListCheck, count: 2);
        Assert.True(DateTimeOffset.UtcNow >= firstDue + ShortWaitingListChecks.Every, "the second check came before its time");

        var stillWaiting = await hh.ViewAsync(waiting);
        await hh.PutPractitionerAsync("practitioner-craven-harrogate", Craven, capacity: 8);
        await LifecycleDriver.EventuallyAsync(async () => (await hh.ViewAsync(waiting)).Stage == "Allocated", $"{waiting} allocated");
        var allocated = await hh.ViewAsync(waiting);
        Assert.DoesNotContain(nameof(TimerKind.WaitingListCheck), allocated.Timers.Keys);
        var checks = (await hh.NotificationsAsync(waiting, NotificationKind.WaitingListCheck)).Count;

        // Past the check that would have come next, with room for a late timer: none came.
        var nextDue = stillWaiting.Timers[nameof(TimerKind.WaitingListCheck)];
        await LifecycleDriver.PastAsync((nextDue > DateTimeOffset.UtcNow ? nextDue : DateTimeOffset.UtcNow) + TimeSpan.FromSeconds(3));
        Assert.Equal(checks, (await hh.NotificationsAsync(waiting, NotificationKind.WaitingListCheck)).Count);
        Assert.Equal("Allocated", (await hh.ViewAsync(waiting)).Stage);
    }

    private async Task<string> SubmitAndAcceptAsync(string region, string risk)
    {
        var reference = await _hh.SubmitAsync(_hh.Form(region, risk));
        await _hh.AcceptAsync(reference);
        return reference;
    }

    private Task AllocatedAsync(string reference, string practitionerId) =>
        LifecycleDriver.EventuallyAsync(
            async () => (await _hh.ViewAsync(reference)) is { Stage: "Allocated" } view && view.PractitionerId == practitionerId,
            $"{reference} allocated to {practitionerId}");

    /// <summary>The waiting list view, narrowed to the regions a test uses (the view shows every region).</summary>
    private async Task<List<WaitingItem>> WaitingListAsync(params string[] regions) =>
        [.. (await _hh.GetOkAsync<List<WaitingItem>>("/api/staff/waiting-list")).Where(w => regions.Length == 0 || regions.Contains(w.Region))];

    /// <summary>The app with a waiting-list check every few seconds instead of every 14 days.</summary>
    private sealed class ShortWaitingListChecks : HandInHandFactory
    {
        public static readonly TimeSpan Every = TimeSpan.FromSeconds(3);

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Lifecycle:WaitingListCheckEvery", System.Xml.XmlConvert.ToString(Every));
        }
    }
}
