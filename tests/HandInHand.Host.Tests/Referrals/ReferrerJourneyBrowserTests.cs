using HandInHand.Host.Tests.Lifecycle;
using HandInHand.Host.Tests.Support;
using Microsoft.Playwright;

namespace HandInHand.Host.Tests.Referrals;

/// <summary>
/// The referrer's journey in headless Chromium, with no account: the reference and access code open
/// the status page, where they answer a request for more information and later withdraw the
/// referral. Neither the reference nor the code ever appears in an address.
/// </summary>
public sealed class ReferrerJourneyBrowserTests(KestrelHandInHandFactory factory) : IClassFixture<KestrelHandInHandFactory>
{
    [Fact]
    public async Task AReferrerAnswersARequestForInformationAndLaterWithdrawsThroughTheStatusPage()
    {
        var hh = new LifecycleDriver(factory);
        var reference = await hh.SubmitAsync(hh.Form());
        var code = hh.AccessCode(reference);
        await hh.CommandAsync(reference, "request-information", StaffActor.Manager);
        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = factory.ServerAddress.ToString() });
        var addresses = new List<string>();
        page.Request += (_, request) => addresses.Add(request.Url);

        await page.GotoAsync("/referrals/status");
        await page.GetByLabel("Reference").FillAsync(reference);
        await page.GetByLabel("Access code").FillAsync(code);
        await page.GetByRole(AriaRole.Button, new() { Name = "Check status" }).ClickAsync();
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("More information needed: the service asked you for more information");

        // The answer to the request.
        await page.GetByRole(AriaRole.Button, new() { Name = "I have given the information" }).ClickAsync();
        await Assertions.Expect(page.Locator("#done")).ToHaveTextAsync("Thank you. The referral has gone back to the service to be reviewed.");
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("Received: waiting for the service manager to review it");
        Assert.Equal("AwaitingTriage", (await hh.ViewAsync(reference)).Stage);

        // Later, in a new visit: a withdrawal without a reason is sent back with the focus on the errors.
        await page.GotoAsync("/referrals/status");
        await page.GetByLabel("Reference").FillAsync(reference);
        await page.GetByLabel("Access code").FillAsync(code);
        await page.GetByRole(AriaRole.Button, new() { Name = "Check status" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Withdraw the referral" }).ClickAsync();
        await Assertions.Expect(page.Locator("#error-summary")).ToBeFocusedAsync();
        Assert.Equal("AwaitingTriage", (await hh.ViewAsync(reference)).Stage);

        await page.GetByLabel("Why are you withdrawing it?").FillAsync("Support has been found elsewhere");
        await page.GetByLabel("Support is no longer needed").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Withdraw the referral" }).ClickAsync();
        await Assertions.Expect(page.Locator("#done")).ToHaveTextAsync("The referral has been withdrawn. The service will not work on it.");
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("Withdrawn");
        Assert.Equal("Withdrawn", (await hh.ViewAsync(reference)).Stage);

        Assert.DoesNotContain(addresses, a => a.Contains(reference, StringComparison.OrdinalIgnoreCase) || a.Contains(code, StringComparison.OrdinalIgnoreCase));
    }
}
