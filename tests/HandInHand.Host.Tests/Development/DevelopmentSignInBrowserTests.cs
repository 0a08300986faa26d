using HandInHand.Host.Tests.Support;
using Microsoft.Playwright;

namespace HandInHand.Host.Tests.Development;

/// <summary>The development sign-in page in headless Chromium: a browser signs in as staff, is let in by role, and signs out.</summary>
public sealed class DevelopmentSignInBrowserTests(KestrelHandInHandFactory factory) : IClassFixture<KestrelHandInHandFactory>
{
    [Fact]
    public async Task ABrowserSignsInAsTheManagerReachesTheManagersViewsAndSignsOut()
    {
        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = factory.ServerAddress.ToString() });

        Assert.Equal(401, (await page.GotoAsync("/api/staff/triage-queue"))!.Status);
        await page.GotoAsync("/dev/sign-in");
        await page.GetByLabel("Staff id").FillAsync("manager-1");
        await page.GetByLabel("Role").SelectOptionAsync("manager");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.Locator("#signed-in")).ToHaveTextAsync("Signed in as manager-1 (manager).");
        var cookie = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == "__Host-hih-dev");
        Assert.True(cookie.HttpOnly);
        Assert.True(cookie.Secure);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);

        Assert.Equal(200, (await page.GotoAsync("/api/staff/triage-queue"))!.Status);

        await page.GotoAsync("/dev/sign-in");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(page.Locator("#signed-in")).ToHaveTextAsync("Not signed in.");
        Assert.Equal(401, (await page.GotoAsync("/api/staff/triage-queue"))!.Status);
    }

    [Fact]
    public async Task AnAnalystSignedInThisWayCannotReachACase()
    {
        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = factory.ServerAddress.ToString() });

        await page.GotoAsync("/dev/sign-in");
        await page.GetByLabel("Staff id").FillAsync("analyst-1");
        await page.GetByLabel("Role").SelectOptionAsync("analyst");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        Assert.Equal(403, (await page.GotoAsync("/api/staff/triage-queue"))!.Status);
        Assert.Equal(403, (await page.GotoAsync("/api/referrals/HH-2026-00001"))!.Status);
    }
}
