using System.Net;
using HandInHand.Host.Tests.Support;
using HandInHand.Testing.Identity;
using Microsoft.Playwright;

namespace HandInHand.Host.Tests.Security;

/// <summary>
/// Production sign-in, end to end: the app in Production over https, Entra ID played by a loopback
/// OpenID Connect provider (discovery, keys, authorize, token, end-session), a real headless
/// Chromium. A staff page challenges through the provider and comes back to the very page asked
/// for; the API answers 401; sign-out ends the session here and at the provider; the idle and
/// absolute session limits hold by the host's clock.
/// </summary>
public sealed class ProductionSignInTests(ProductionSignInHost host) : IClassFixture<ProductionSignInHost>
{
    private static readonly ProviderUser Manager = new("5a0e2c61-7b3d-4f18-9c2e-1d4b6a8f0e37", ["Manager"]);

    [Fact]
    public async Task AStaffPageChallengesThroughTheProviderAndTheApiAnswers401WithoutARedirect()
    {
        using var client = host.CreateClient();

        var page = await client.GetAsync("/staff/dashboard?service=hand-in-hand");
        Assert.Equal(HttpStatusCode.Found, page.StatusCode);
        var location = page.Headers.Location!;
        Assert.StartsWith(host.Provider.Issuer + "/oauth2/authorize?", location.ToString(), StringComparison.Ordinal);
        Assert.Equal(new Uri(host.Address, "/signin-oidc").ToString(), Query(location, "redirect_uri"));

        var api = await client.GetAsync("/api/staff/triage-queue");
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Null(api.Headers.Location);
    }

    [Fact]
    public async Task AManagerOpeningADeepLinkSignsInAtTheProviderLandsOnThatPageAndSignsOut()
    {
        host.Provider.User = Manager;
        AlignClock();
        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        await using var context = await NewContextAsync(browser);
        var page = await context.NewPageAsync();
        var cspErrors = CspErrors(page);
        int authorizations = host.Provider.Authorizations;

        Assert.Equal(401, (await page.GotoAsync("/api/staff/triage-queue"))!.Status);
        Assert.Equal(authorizations, host.Provider.Authorizations);

        await page.GotoAsync("/staff/dashboard?service=hand-in-hand");
        await Assertions.Expect(page).ToHaveURLAsync(new Uri(host.Address, "/staff/dashboard?service=hand-in-hand").ToString());
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard", Exact = true })).ToBeVisibleAsync();
        Assert.Equal(authorizations + 1, host.Provider.Authorizations);
        var cookie = Assert.Single(await context.CookiesAsync(), c => c.Name == "__Host-hih-session");
        Assert.True(cookie.Secure);
        Assert.True(cookie.HttpOnly);
        Assert.Equal("/", cookie.Path);

        int signOuts = host.Provider.SignOuts;
        await page.GotoAsync("/account/sign-out");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Uri(host.Address, "/account/signed-out").ToString());
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "You have signed out" })).ToBeVisibleAsync();
        Assert.Equal(signOuts + 1, host.Provider.SignOuts);
        Assert.DoesNotContain(await context.CookiesAsync(), c => c.Name == "__Host-hih-session");

        // The session is gone here: the staff page asks the provider again.
        await page.GotoAsync("/staff/dashboard");
        await Assertions.Expect(page).ToHaveURLAsync(new Uri(host.Address, "/staff/dashboard").ToString());
        Assert.Equal(authorizations + 2, host.Provider.Authorizations);
        Assert.Empty(host.Provider.Violations);
        Assert.Empty(cspErrors);
    }

    [Fact]
    public async Task ASignedInAnalystIsRefusedTheManagersPageWithoutBeingSentAnywhere()
    {
        host.Provider.User = new ProviderUser("c3e1a7d2-4b6f-4e0a-8d19-7f2b5c9e1a04", ["Analyst"]);
        AlignClock();
        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        await using var context = await NewContextAsync(browser);
        var page = await context.NewPageAsync();

        await page.GotoAsync("/reports");
        await Assertions.Expect(page).ToHaveURLAsync(new Uri(host.Address, "/reports").ToString());
        var refused = await page.GotoAsync("/staff/dashboard");
        Assert.Equal(403, refused!.Status);
        Assert.Equal(new Uri(host.Address, "/staff/dashboard").ToString(), page.Url);
    }

    [Fact]
    public async Task TheSessionEndsAfterItsIdleTimeAndAfterItsAbsoluteLimitEvenWhileInUse()
    {
        host.Provider.User = Manager;
        AlignClock();
        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        await using var context = await NewContextAsync(browser);
        var page = await context.NewPageAsync();
        int signIns = host.Provider.Authorizations;

        async Task<int> OpenDashboardAfterAsync(TimeSpan pause)
        {
            host.Factory.Clock.Advance(pause);
            await page.GotoAsync("/staff/dashboard");
            await Assertions.Expect(page).ToHaveURLAsync(new Uri(host.Address, "/staff/dashboard").ToString());
            return host.Provider.Authorizations - signIns;
        }

        Assert.Equal(1, await OpenDashboardAfterAsync(TimeSpan.Zero));

        // In use every 20 minutes: the idle limit (30) slides, so no new sign-in.
        Assert.Equal(1, await OpenDashboardAfterAsync(TimeSpan.FromMinutes(20)));
        Assert.Equal(1, await OpenDashboardAfterAsync(TimeSpan.FromMinutes(20)));

        // Idle past the limit: signed in again.
        Assert.Equal(2, await OpenDashboardAfterAsync(ProductionSignInHost.IdleTimeout + TimeSpan.FromMinutes(1)));

        // In use every 25 minutes from that sign-in: the session holds until the absolute limit (2 h), then ends.
        var used = TimeSpan.Zero;
        while (used + TimeSpan.FromMinutes(25) < ProductionSignInHost.AbsoluteTimeout)
        {
            used += TimeSpan.FromMinutes(25);
            Assert.Equal(2, await OpenDashboardAfterAsync(TimeSpan.FromMinutes(25)));
        }

        Assert.Equal(3, await OpenDashboardAfterAsync(TimeSpan.FromMinutes(25)));
        Assert.Empty(host.Provider.Violations);
    }

    private Task<IBrowserContext> NewContextAsync(IBrowser browser) =>
        // The browser accepts the test certificate of the app and of the provider (self-signed, for 127.0.0.1).
        browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = host.Address.ToString(), IgnoreHTTPSErrors = true });

    /// <summary>
    /// The host's clock starts when the test run did; the browser keeps cookies by the real time,
    /// so each sign-in starts with the host's clock at least at the real time.
    /// </summary>
    private void AlignClock()
    {
        var now = DateTimeOffset.UtcNow;
        if (host.Factory.Clock.GetUtcNow() < now)
        {
            host.Factory.Clock.SetUtcNow(now);
        }
    }

    private static List<string> CspErrors(IPage page)
    {
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                errors.Add(message.Text);
            }
        };
        return errors;
    }

    private static string? Query(Uri uri, string name) => HandInHand.Testing.Http.LoopbackRequest.Query(uri.PathAndQuery, name);
}
