using System.Globalization;
using System.Net;
using System.Net.Sockets;
using HandInHand.Domain.Lifecycle;
using HandInHand.Host.Tests.Lifecycle;
using HandInHand.Host.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Playwright;

namespace HandInHand.Host.Tests.Staff;

/// <summary>
/// The practitioner's first-contact journey in headless Chromium, on the real orchestrations with a
/// first-contact clock of seconds: the reminder arrives in the development mailbox, its link leads
/// through the sign-in to the case, first contact is recorded there, and the escalation never comes.
/// </summary>
public sealed class FirstContactJourneyBrowserTests(FirstContactJourneyBrowserTests.JourneyFactory factory) : IClassFixture<FirstContactJourneyBrowserTests.JourneyFactory>
{
    /// <summary>Long enough for the browser journey after the reminder on a loaded machine; short enough to wait out.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>The reminder comes 15 s after the referral arrives, leaving 45 s to act on it.</summary>
    private static readonly TimeSpan ReminderBefore = TimeSpan.FromSeconds(45);

    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task APractitionerFollowsTheRemindersLinkSignsInLandsOnTheCaseRecordsFirstContactAndTheEscalationNeverComes()
    {
        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var hh = new LifecycleDriver(factory);
        var reference = await hh.SubmitAsync(hh.Form());
        var received = (await hh.ViewAsync(reference)).ReceivedAt;
        Assert.Equal(LifecycleDriver.SelbyPractitioner, (await hh.AcceptAsync(reference)).PractitionerId);
        await hh.NotifiedAsync(reference, NotificationKind.FirstContactReminder, within: TimeSpan.FromSeconds(60));
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = factory.BaseUrl });

        // The reminder, opened from the development mailbox; its link leads to the case through the sign-in.
        await LifecycleDriver.EventuallyAsync(
            async () => (await page.GotoAsync("/dev/mailbox"))!.Ok && await page.GetByRole(AriaRole.Link, new() { Name = $"Referral {reference}: first contact due soon" }).CountAsync() == 1,
            "the reminder in the mailbox");
        await page.GetByRole(AriaRole.Link, new() { Name = $"Referral {reference}: first contact due soon" }).ClickAsync();
        await page.Locator("#links a").ClickAsync();
        await Assertions.Expect(page.Locator("#return-notice")).ToBeVisibleAsync();
        await page.GetByLabel("Staff id").FillAsync(LifecycleDriver.SelbyPractitioner);
        await page.GetByLabel("Role").SelectOptionAsync("practitioner");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        Assert.Equal($"{factory.BaseUrl}staff/cases/{reference}", page.Url);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync($"Case {reference}");
        await Assertions.Expect(page.Locator("#stage")).ToHaveTextAsync("Allocated: first contact not yet recorded");
        await Assertions.Expect(page.Locator("#signed-in-as")).ToHaveTextAsync("Signed in as practitioner-selby, practitioner.");

        // At 320 px only the timeline's own container may scroll, never the page.
        await page.SetViewportSizeAsync(320, 800);
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), "the case page scrolls sideways at 320 px");

        // A failed submission: the error summary has the keyboard focus.
        await page.GetByLabel("Time of first contact").FillAsync("later");
        await page.GetByLabel("Yes, they agree").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Record first contact" }).ClickAsync();
        await Assertions.Expect(page.Locator("#error-summary")).ToBeFocusedAsync();
        await Assertions.Expect(page.GetByLabel("Time of first contact")).ToHaveValueAsync("later");

        // First contact, the date as day, month and year, at the moment it happened (UK time).
        SyncClock();
        var local = TimeZoneInfo.ConvertTime(factory.Clock.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById("Europe/London"));
        await page.GetByLabel("Day").FillAsync(local.Day.ToString(CultureInfo.InvariantCulture));
        await page.GetByLabel("Month").FillAsync(local.Month.ToString(CultureInfo.InvariantCulture));
        await page.GetByLabel("Year").FillAsync(local.Year.ToString(CultureInfo.InvariantCulture));
        await page.GetByLabel("Time of first contact").FillAsync(local.ToString("HH:mm", CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "Record first contact" }).ClickAsync();
        await Assertions.Expect(page.Locator("#notice")).ToHaveTextAsync("First contact recorded.");
        await Assertions.Expect(page.Locator("#stage")).ToHaveTextAsync("Being supported");
        Assert.Equal($"{factory.BaseUrl}staff/cases/{reference}?recorded=first-contact", page.Url);

        // The deadline passes with nothing: no escalation, and no clock fired after first contact.
        await LifecycleDriver.PastAsync(received + Deadline + Settle);
        Assert.Empty(await hh.NotificationsAsync(reference, NotificationKind.FirstContactEscalation));
        var timeline = await hh.TimelineAsync(reference);
        var recorded = Assert.Single(timeline, s => s.Type == "FirstContactRecorded").Sequence;
        Assert.DoesNotContain(timeline, s => s.Type == "TimerFired" && s.Sequence > recorded);
        Assert.Equal("Active", (await hh.ViewAsync(reference)).Stage);
    }

    /// <summary>The host's clock catches up with real time, in which the practitioner types the time of the contact.</summary>
    private void SyncClock()
    {
        lock (factory.Clock)
        {
            if (DateTimeOffset.UtcNow > factory.Clock.GetUtcNow())
            {
                factory.Clock.SetUtcNow(DateTimeOffset.UtcNow);
            }
        }
    }

    /// <summary>
    /// The host on a real socket whose port is known before it starts, so that the links in its
    /// emails (Notifications:BaseUrl) point at it, and with a first-contact clock of seconds.
    /// </summary>
    public sealed class JourneyFactory : HandInHandFactory
    {
        private readonly int _port = FreePort();

        public JourneyFactory()
        {
            UseKestrel(_port);
        }

        /// <summary>Where the browser goes, and where the emails link to.</summary>
        public string BaseUrl => $"http://localhost:{_port}/";

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Notifications:BaseUrl", BaseUrl);
            builder.UseSetting("Lifecycle:FirstContactDeadline", System.Xml.XmlConvert.ToString(Deadline));
            builder.UseSetting("Lifecycle:FirstContactReminderBefore", System.Xml.XmlConvert.ToString(ReminderBefore));
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
