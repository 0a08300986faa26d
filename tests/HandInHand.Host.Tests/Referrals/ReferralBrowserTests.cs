using HandInHand.Host.Tests.Support;
using Microsoft.Playwright;

namespace HandInHand.Host.Tests.Referrals;

/// <summary>The referral journey in headless Chromium (Debian's package), driven through Playwright.</summary>
public sealed class ReferralBrowserTests(KestrelHandInHandFactory factory) : IClassFixture<KestrelHandInHandFactory>
{
    [Fact]
    public async Task AReferrerSubmitsTheFormReadsTheConfirmationAndOpensTheStatusPage()
    {
        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = factory.ServerAddress.ToString() });

        await page.GotoAsync("/referrals/new");
        await page.GetByLabel("First name").FillAsync("Alex");
        await page.GetByLabel("Last name").FillAsync("Example");
        await page.GetByLabel("Date of birth").FillAsync("2011-05-14");
        await page.GetByLabel("Gender").SelectOptionAsync("female");
        await page.GetByLabel("Ethnicity").SelectOptionAsync("white");
        await page.GetByLabel("Area where they live").SelectOptionAsync("Selby");
        await page.GetByLabel("How can we contact them safely?").FillAsync("Through her social worker");
        await page.GetByLabel("Child sexual exploitation").CheckAsync();
        await page.GetByRole(AriaRole.Group, new() { Name = "How would you judge the risk?" }).GetByLabel("High").CheckAsync();
        await page.GetByRole(AriaRole.Group, new() { Name = "Does the young person know about this referral?" }).GetByLabel("Yes").CheckAsync();
        await page.GetByRole(AriaRole.Group, new() { Name = "Does the young person agree to this referral?" }).GetByLabel("Yes").CheckAsync();
        await page.GetByLabel("Your name").FillAsync("Sam Worker");
        await page.GetByLabel("Police").CheckAsync();
        await page.GetByLabel("Your organisation").FillAsync("North Yorkshire Police");
        await page.GetByLabel("Your email address").FillAsync("sam@example.org");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send referral" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Referral received" })).ToBeVisibleAsync();
        var reference = (await page.Locator("#reference").InnerTextAsync()).Trim();
        var accessCode = (await page.Locator("#access-code").InnerTextAsync()).Trim();
        Assert.Matches("^HH-2026-\\d{5}$", reference);
        Assert.Matches("^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$", accessCode);

        await page.GetByRole(AriaRole.Link, new() { Name = "Check the status of a referral" }).ClickAsync();
        await page.GetByLabel("Reference").FillAsync(reference);
        await page.GetByLabel("Access code").FillAsync(accessCode);
        await page.GetByRole(AriaRole.Button, new() { Name = "Check status" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Referral {reference}" })).ToBeVisibleAsync();
        Assert.StartsWith("Received", await page.Locator("#status").InnerTextAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("Alex", await page.ContentAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnInvalidFormShowsTheErrorSummaryAndKeepsTheAnswers()
    {
        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = factory.ServerAddress.ToString() });

        await page.GotoAsync("/referrals/new");
        await page.GetByLabel("First name").FillAsync("Alex");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send referral" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("There is a problem");
        await Assertions.Expect(page.GetByLabel("First name")).ToHaveValueAsync("Alex");
        await page.GetByRole(AriaRole.Link, new() { Name = "Enter the young person's last name." }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Last name")).ToBeFocusedAsync();
    }
}
