using HandInHand.Host.Tests.Support;
using Microsoft.Playwright;

namespace HandInHand.Host.Tests.Security;

/// <summary>The shared sign-out route in Development: it ends the development sign-in's session and shows the signed-out page.</summary>
public sealed class DevelopmentSignOutBrowserTests(KestrelHandInHandFactory factory) : IClassFixture<KestrelHandInHandFactory>
{
    [Fact]
    public async Task SigningOutThroughTheAccountRouteEndsTheDevelopmentSession()
    {
        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = factory.ServerAddress.ToString() });
        await page.GotoAsync("/dev/sign-in");
        await page.GetByLabel("Staff id").FillAsync("manager-1");
        await page.GetByLabel("Role").SelectOptionAsync("manager");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.Locator("#signed-in")).ToHaveTextAsync("Signed in as manager-1 (manager).");
        Assert.Equal(200, (await page.GotoAsync("/api/staff/triage-queue"))!.Status);

        await page.GotoAsync("/account/sign-out");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Uri(factory.ServerAddress, "/account/signed-out").ToString());
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "You have signed out" })).ToBeVisibleAsync();
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "__Host-hih-dev");
        Assert.Equal(401, (await page.GotoAsync("/api/staff/triage-queue"))!.Status);
    }
}
