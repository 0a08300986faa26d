using Microsoft.Playwright;

namespace HandInHand.Host.Tests.Support;

/// <summary>Launches Debian's Chromium headless through Playwright; never a downloaded browser.</summary>
internal static class Chromium
{
    private const string ExecutablePath = "/usr/bin/chromium";

    // Without the background-networking flags Chromium keeps trying to reach the internet,
    // which this machine cannot.
    private static readonly string[] Arguments =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"];

    // An expectation waits 5 s by default. Four test classes run at once on a two-core machine, and
    // a page's step there can take longer than that under load; a wait that ends early is a false
    // failure, while a real one still fails, later. The same limit as Playwright's own actions.
    private const float ExpectTimeoutMs = 30_000;

    static Chromium() => Assertions.SetDefaultExpectTimeout(ExpectTimeoutMs);

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        Assert.True(File.Exists(ExecutablePath), $"{ExecutablePath} is missing: scripts/test.sh installs Debian's chromium package.");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ExecutablePath, Headless = true, Args = Arguments });
        return (playwright, browser);
    }
}
