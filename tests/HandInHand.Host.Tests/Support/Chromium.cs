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

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        Assert.True(File.Exists(ExecutablePath), $"{ExecutablePath} is missing: scripts/test.sh installs Debian's chromium package.");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ExecutablePath, Headless = true, Args = Arguments });
        return (playwright, browser);
    }
}
