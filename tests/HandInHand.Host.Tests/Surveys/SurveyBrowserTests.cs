using HandInHand.Host.Tests.Lifecycle;
using HandInHand.Host.Tests.Support;
using Microsoft.Playwright;

namespace HandInHand.Host.Tests.Surveys;

/// <summary>The young person's survey in headless Chromium: from the emailed link to the stored answers.</summary>
public sealed class SurveyBrowserTests(KestrelHandInHandFactory factory) : IClassFixture<KestrelHandInHandFactory>
{
    [Fact]
    public async Task AYoungPersonOpensTheEmailedLinkAnswersAndTheLinkIsUsedUp()
    {
        var driver = new LifecycleDriver(factory);
        var reference = await driver.CloseAfterSupportAsync();
        var link = await SurveyMail.SingleAsync(factory, reference, "survey");

        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = factory.ServerAddress.ToString() });
        var scripts = new List<string>();
        page.Request += (_, request) =>
        {
            if (request.ResourceType == "script" || !request.Url.StartsWith(factory.ServerAddress.ToString(), StringComparison.Ordinal))
            {
                scripts.Add(request.Url);
            }
        };

        await page.GotoAsync(link);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Tell us what you thought" })).ToBeVisibleAsync();
        var content = await page.ContentAsync();
        Assert.DoesNotContain(reference, content, StringComparison.Ordinal);
        Assert.DoesNotContain("HandInHand", content, StringComparison.Ordinal);
        Assert.DoesNotContain("exploitation", content, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, await page.Locator("a[href]:not([href^='#'])").CountAsync());
        await page.GetByRole(AriaRole.Group, new() { Name = "Could you trust your worker?" }).GetByLabel("Yes").CheckAsync();
        await page.GetByRole(AriaRole.Group, new() { Name = "Did you feel listened to?" }).GetByLabel("Yes").CheckAsync();
        await page.GetByRole(AriaRole.Group, new() { Name = "Did you feel safe when you met?" }).GetByLabel("Not sure").CheckAsync();
        await page.GetByLabel("Do you have any ideas for how we could do better?").FillAsync("Meet in the park more often");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send my answers" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Thank you" })).ToBeVisibleAsync();
        var answers = await SurveyMail.StoredAnswersAsync(driver, reference, "SurveyAnswered");
        Assert.Equal("yes", answers.GetProperty("trustedWorker").GetString());
        Assert.Equal("not-sure", answers.GetProperty("feltSafe").GetString());
        Assert.Equal("Meet in the park more often", answers.GetProperty("ideas").GetString());

        await page.GotoAsync(link);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "This link is not available" })).ToBeVisibleAsync();
        Assert.Empty(scripts);
    }
}
