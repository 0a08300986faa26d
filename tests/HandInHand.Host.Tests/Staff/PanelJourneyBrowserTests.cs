using HandInHand.Host.Tests.Lifecycle;
using HandInHand.Host.Tests.Referrals;
using HandInHand.Host.Tests.Support;
using Microsoft.Playwright;

namespace HandInHand.Host.Tests.Staff;

/// <summary>
/// The Trusted Relationships panel's journey in headless Chromium: it signs in through the
/// development sign-in, opens its queue, and takes a referral through its decision and the
/// allocation to a practitioner and a strand, all on the pages, with no script.
/// </summary>
public sealed class PanelJourneyBrowserTests(KestrelHandInHandFactory factory) : IClassFixture<KestrelHandInHandFactory>
{
    [Fact]
    public async Task ThePanelSignsInOpensItsQueueDecidesATrustedRelationshipsReferralAndAllocatesItToAStrand()
    {
        var hh = new LifecycleDriver(factory);
        var reference = await hh.SubmitAsync(hh.Form().AsTrustedRelationships());
        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = factory.ServerAddress.ToString() });

        // Signed out, the queue leads through the development sign-in and back.
        await page.GotoAsync("/staff/panel");
        await page.GetByLabel("Staff id").FillAsync("panel-1");
        await page.GetByLabel("Role").SelectOptionAsync("panel");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        Assert.Equal(new Uri(factory.ServerAddress, "/staff/panel").ToString(), page.Url);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Panel queue");
        await Assertions.Expect(page.Locator("#signed-in-as")).ToHaveTextAsync("Signed in as panel-1, panel member.");

        await page.Locator("#decisions").GetByRole(AriaRole.Link, new() { Name = reference }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync($"Case {reference}");
        await Assertions.Expect(page.Locator("#stage")).ToHaveTextAsync("Waiting for triage");
        await Assertions.Expect(page.Locator("#multi-agency-discussion")).ToContainTextAsync("MACEM");

        // At 320 px only tables may scroll, inside their own container.
        await page.SetViewportSizeAsync(320, 800);
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), "the case page scrolls sideways at 320 px");

        // A decline with no reason: the error summary has the focus, and nothing changed.
        await page.GetByLabel("Decline it").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Record the panel's decision" }).ClickAsync();
        await Assertions.Expect(page.Locator("#error-summary")).ToBeFocusedAsync();
        await Assertions.Expect(page.GetByLabel("Decline it")).ToBeCheckedAsync();
        Assert.Equal("AwaitingTriage", (await hh.ViewAsync(reference)).Stage);

        // The panel accepts.
        await page.GetByLabel("Accept it: the young person is then allocated to a strand").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Record the panel's decision" }).ClickAsync();
        await Assertions.Expect(page.Locator("#notice")).ToHaveTextAsync("The panel's decision is recorded.");
        await Assertions.Expect(page.Locator("#stage")).ToHaveTextAsync("Accepted, waiting to be allocated");

        // And allocates to a practitioner and a strand.
        await page.GetByLabel("Practitioner", new() { Exact = true }).SelectOptionAsync(LifecycleDriver.SelbyPractitioner);
        await page.GetByLabel("Subject to exploitation: a family network coordinator").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Allocate", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#notice")).ToHaveTextAsync("Allocated to a strand.");
        await Assertions.Expect(page.Locator("#stage")).ToHaveTextAsync("Allocated: first contact not yet recorded");

        var view = await hh.ViewAsync(reference);
        Assert.Equal(("Allocated", "SubjectTo", LifecycleDriver.SelbyPractitioner), (view.Stage, view.Strand, view.PractitionerId));

        // The queue no longer lists it.
        await page.GotoAsync("/staff/panel");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = reference })).ToHaveCountAsync(0);
    }
}
