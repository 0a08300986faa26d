using System.Net;
using System.Net.Sockets;
using HandInHand.Host.Tests.Lifecycle;
using HandInHand.Host.Tests.Support;
using Microsoft.Playwright;

namespace HandInHand.Host.Tests.Staff;

/// <summary>
/// The manager's journey in headless Chromium: signed in through the development sign-in, the
/// manager opens the triage queue, opens a referral, accepts it, allocates it to the suggested
/// practitioner, and that practitioner, signed in, finds the case in "My cases".
/// </summary>
public sealed class TriageJourneyBrowserTests(TriageJourneyBrowserTests.BrowserFactory factory) : IClassFixture<TriageJourneyBrowserTests.BrowserFactory>
{
    /// <summary>A region whose practitioner is full, so the accepted referral waits and the manager allocates it.</summary>
    private const string Region = "Scarborough, Whitby and Ryedale";

    private const string RegionPractitioner = "practitioner-scarborough-whitby-ryedale";

    [Fact]
    public async Task TheManagerTriagesAcceptsAndAllocatesAndThePractitionerThenSeesTheCase()
    {
        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var hh = new LifecycleDriver(factory);
        await hh.PutPractitionerAsync(RegionPractitioner, Region, capacity: 0);
        var reference = await hh.SubmitAsync(hh.Form(region: Region));
        var manager = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = factory.BaseUrl });

        // Signed out, the staff home leads through the development sign-in to the manager's dashboard.
        await manager.GotoAsync("/staff");
        await SignInAsync(manager, "manager-1", "manager");
        await Assertions.Expect(manager.Locator("#signed-in-as")).ToHaveTextAsync("Signed in as manager-1, service manager.");

        // The triage queue, then the referral from it.
        await manager.GetByRole(AriaRole.Navigation, new() { Name = "Staff pages" }).GetByRole(AriaRole.Link, new() { Name = "Triage queue" }).ClickAsync();
        await Assertions.Expect(manager.Locator("h1")).ToHaveTextAsync("Triage queue");
        await manager.GetByRole(AriaRole.Link, new() { Name = reference, Exact = true }).ClickAsync();
        await Assertions.Expect(manager.Locator("h1")).ToHaveTextAsync($"Case {reference}");
        await Assertions.Expect(manager.Locator("#stage")).ToHaveTextAsync("Waiting for triage");

        // At 320 px only tables may scroll, inside their own containers.
        await manager.SetViewportSizeAsync(320, 800);
        Assert.True(await manager.EvaluateAsync<bool>("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), "the case page scrolls sideways at 320 px");

        await manager.GetByRole(AriaRole.Button, new() { Name = "Accept the referral" }).ClickAsync();
        await Assertions.Expect(manager.Locator("#notice")).ToHaveTextAsync("Referral accepted.");
        await Assertions.Expect(manager.Locator("#stage")).ToHaveTextAsync("On the waiting list");

        // The suggested practitioner covers the area; the manager allocates over their capacity.
        await Assertions.Expect(manager.Locator("#suggested-practitioner")).ToContainTextAsync($"Practitioner {RegionPractitioner}");
        await manager.GetByRole(AriaRole.Button, new() { Name = $"Allocate to Practitioner {RegionPractitioner}" }).ClickAsync();
        await Assertions.Expect(manager.Locator("#notice")).ToHaveTextAsync("Case allocated.");
        await Assertions.Expect(manager.Locator("#stage")).ToHaveTextAsync("Allocated: first contact not yet recorded");
        Assert.Equal($"{factory.BaseUrl}staff/cases/{reference}?recorded=allocated", manager.Url);

        // The practitioner, in a browser of their own, finds the case in "My cases" and opens it.
        var practitioner = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = factory.BaseUrl });
        await practitioner.GotoAsync("/staff/cases");
        await SignInAsync(practitioner, RegionPractitioner, "practitioner");
        Assert.Equal($"{factory.BaseUrl}staff/cases", practitioner.Url);
        // The list reads the case board, which the allocation's effects bring up to date.
        await LifecycleDriver.EventuallyAsync(
            async () => (await practitioner.GotoAsync("/staff/cases"))!.Ok && await practitioner.Locator("#my-cases").GetByRole(AriaRole.Link, new() { Name = reference, Exact = true }).CountAsync() == 1,
            $"{reference} in My cases");
        await practitioner.Locator("#my-cases").GetByRole(AriaRole.Link, new() { Name = reference, Exact = true }).ClickAsync();
        await Assertions.Expect(practitioner.Locator("#stage")).ToHaveTextAsync("Allocated: first contact not yet recorded");
        Assert.Equal(RegionPractitioner, (await hh.ViewAsync(reference)).PractitionerId);
    }

    private static async Task SignInAsync(IPage page, string staffId, string role)
    {
        await page.GetByLabel("Staff id").FillAsync(staffId);
        await page.GetByLabel("Role").SelectOptionAsync(role);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    /// <summary>The host on a real socket, for the browser.</summary>
    public sealed class BrowserFactory : HandInHandFactory
    {
        private readonly int _port = FreePort();

        public BrowserFactory()
        {
            UseKestrel(_port);
        }

        public string BaseUrl => $"http://localhost:{_port}/";

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
