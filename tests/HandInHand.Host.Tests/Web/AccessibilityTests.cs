using HandInHand.Host.Tests.Support;
using Microsoft.Playwright;

namespace HandInHand.Host.Tests.Web;

/// <summary>
/// axe-core in headless Chromium on every page of the app, each in the state a person meets it in
/// (signed in as the role that uses it, with a form's errors shown): any WCAG 2.1 A or AA violation
/// fails the page's test, naming the rule and the elements. One host and one browser serve the class.
/// </summary>
public sealed class AccessibilityTests(AccessibilitySite site) : IClassFixture<AccessibilitySite>
{
    private const string Manager = "manager-1:manager";
    private const string Practitioner = "practitioner-selby:practitioner";
    private const string Analyst = "analyst-1:analyst";

    /// <summary>
    /// Every page, by name: who is signed in (staff id and role, or nobody), how the browser gets
    /// there, and the heading that shows it did. A new page is one more line here.
    /// </summary>
    private static readonly IReadOnlyList<PageCase> Cases =
    [
        // Public: the referrer's pages.
        new("home", null, "Refer a young person", (_, page) => page.GotoAsync("/")),
        new("referral form", null, "Refer a young person", (_, page) => page.GotoAsync("/referrals/new")),
        new("referral form with errors", null, "Refer a young person", async (_, page) =>
        {
            await page.GotoAsync("/referrals/new");
            await page.GetByRole(AriaRole.Button, new() { Name = "Send referral" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("There is a problem");
        }),
        new("referral received", null, "Referral received", (s, page) => s.SubmitReferralFormAsync(page)),
        new("status form", null, "Check a referral", (_, page) => page.GotoAsync("/referrals/status")),
        new("status form with errors", null, "Check a referral", async (_, page) =>
        {
            await page.GotoAsync("/referrals/status");
            await page.GetByLabel("Reference").FillAsync("HH-2026-99999");
            await page.GetByLabel("Access code").FillAsync("not-a-code");
            await page.GetByRole(AriaRole.Button, new() { Name = "Check status" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();
        }),
        new("status of a received referral", null, "Referral HH-", async (s, page) => await AccessibilitySite.OpenStatusAsync(page, await s.ReceivedReferral.Value)),
        new("status with the withdrawal's errors", null, "Referral HH-", async (s, page) =>
        {
            await AccessibilitySite.OpenStatusAsync(page, await s.ReceivedReferral.Value);
            await page.GetByRole(AriaRole.Button, new() { Name = "Withdraw the referral" }).ClickAsync();
            await Assertions.Expect(page.GetByLabel("Why are you withdrawing it?")).ToHaveAttributeAsync("aria-invalid", "true");
        }),
        new("status after withdrawing", null, "Referral HH-", async (s, page) =>
        {
            await AccessibilitySite.OpenStatusAsync(page, await s.ToWithdraw.Value);
            await page.GetByLabel("Why are you withdrawing it?").FillAsync("The family moved out of the area.");
            await page.GetByLabel("Support is no longer needed").CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Withdraw the referral" }).ClickAsync();
            await Assertions.Expect(page.GetByText("The referral has been withdrawn.")).ToBeVisibleAsync();
        }),
        new("status with more information asked", null, "Referral HH-", async (s, page) => await AccessibilitySite.OpenStatusAsync(page, await s.InformationAsked.Value)),

        // Staff: the practitioner's and the manager's pages, signed in through the development sign-in.
        new("staff home (practitioner)", Practitioner, "My cases", (_, page) => page.GotoAsync("/staff")),
        new("my cases", Practitioner, "My cases", (_, page) => page.GotoAsync("/staff/cases")),
        new("case (practitioner)", Practitioner, "Case HH-", async (s, page) => await page.GotoAsync("/staff/cases/" + await s.AllocatedCase.Value)),
        new("case (manager)", Manager, "Case HH-", async (s, page) => await page.GotoAsync("/staff/cases/" + await s.AllocatedCase.Value)),
        new("first-contact form with errors", Practitioner, "Case HH-", async (s, page) =>
        {
            await page.GotoAsync("/staff/cases/" + await s.AllocatedCase.Value);
            await page.GetByLabel("Time of first contact").FillAsync("later");
            await page.GetByRole(AriaRole.Button, new() { Name = "Record first contact" }).ClickAsync();
            await Assertions.Expect(page.Locator("#error-summary")).ToBeFocusedAsync();
        }),
        new("case in support, with the session, review, contact, survey and closing forms (practitioner)", Practitioner, "Case HH-", async (s, page) => await page.GotoAsync("/staff/cases/" + await s.ActiveCase.Value)),
        new("session form with errors", Practitioner, "Case HH-", async (s, page) =>
        {
            await page.GotoAsync("/staff/cases/" + await s.ActiveCase.Value);
            await page.GetByRole(AriaRole.Button, new() { Name = "Record the session" }).ClickAsync();
            await Assertions.Expect(page.Locator("#error-summary")).ToBeFocusedAsync();
        }),
        new("review form with errors", Practitioner, "Case HH-", async (s, page) =>
        {
            await page.GotoAsync("/staff/cases/" + await s.ActiveCase.Value);
            await page.GetByRole(AriaRole.Button, new() { Name = "Record the review" }).ClickAsync();
            await Assertions.Expect(page.Locator("#error-summary")).ToBeFocusedAsync();
        }),
        new("contact channel form with errors", Practitioner, "Case HH-", async (s, page) =>
        {
            await page.GotoAsync("/staff/cases/" + await s.ActiveCase.Value);
            await page.GetByRole(AriaRole.Button, new() { Name = "Save the contact channel" }).ClickAsync();
            await Assertions.Expect(page.Locator("#error-summary")).ToBeFocusedAsync();
        }),
        new("closing form with errors", Practitioner, "Case HH-", async (s, page) =>
        {
            await page.GotoAsync("/staff/cases/" + await s.ActiveCase.Value);
            await page.GetByRole(AriaRole.Button, new() { Name = "Close the case" }).ClickAsync();
            await Assertions.Expect(page.Locator("#error-summary")).ToBeFocusedAsync();
        }),
        new("case not open to this practitioner", "practitioner-york:practitioner", "Case not found", async (s, page) => await page.GotoAsync("/staff/cases/" + await s.AllocatedCase.Value)),
        new("dashboard", Manager, "Dashboard", (_, page) => page.GotoAsync("/staff/dashboard")),
        new("reports", Analyst, "Reports", (_, page) => page.GotoAsync("/reports")),
        new("reports with errors", Manager, "Reports", async (_, page) =>
        {
            await page.GotoAsync("/reports?from=2026-12-31&to=2026-01-01");
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("There is a problem");
        }),
        new("staff home (panel): its queue", "panel-1:panel", "Panel queue", (_, page) => page.GotoAsync("/staff")),
        new("triage queue", Manager, "Triage queue", (_, page) => page.GotoAsync("/staff/triage")),
        new("waiting list", Manager, "Waiting list", (_, page) => page.GotoAsync("/staff/waiting-list")),
        new("case awaiting triage, with the triage forms (manager)", Manager, "Case HH-", async (s, page) => await page.GotoAsync("/staff/cases/" + (await s.ReceivedReferral.Value).Reference)),
        new("retention reviews", Manager, "Retention reviews", (_, page) => page.GotoAsync("/staff/retention")),
        new("legal hold confirmation", Manager, "Place a legal hold on HH-", async (s, page) => await page.GotoAsync($"/staff/retention/{(await s.ReceivedReferral.Value).Reference}/legal-hold")),
        new("legal hold with errors", Manager, "Place a legal hold on HH-", async (s, page) =>
        {
            await page.GotoAsync($"/staff/retention/{(await s.ReceivedReferral.Value).Reference}/legal-hold");
            await page.GetByRole(AriaRole.Button, new() { Name = "Place the legal hold" }).ClickAsync();
            await Assertions.Expect(page.Locator("#error-summary")).ToBeFocusedAsync();
        }),
        new("legal hold release confirmation", Manager, "Release the legal hold on HH-", async (s, page) => await page.GotoAsync($"/staff/retention/{(await s.ReceivedReferral.Value).Reference}/legal-hold/release")),
        new("erasure confirmation", Manager, "Erase the personal data of HH-", async (s, page) => await page.GotoAsync($"/staff/retention/{(await s.ReceivedReferral.Value).Reference}/erase")),
        new("erasure refused: the case is open", Manager, "Erase the personal data of HH-", async (s, page) =>
        {
            await page.GotoAsync($"/staff/retention/{(await s.ReceivedReferral.Value).Reference}/erase");
            await page.GetByRole(AriaRole.Button, new() { Name = "Erase the personal data" }).ClickAsync();
            await Assertions.Expect(page.Locator("#notice")).ToContainTextAsync("cannot be erased");
        }),
        new("emails that did not go", Manager, "Emails that did not go", async (s, page) =>
        {
            await s.UndeliveredEmail.Value;
            await page.GotoAsync("/staff/emails");
        }),
        new("emails that did not go, with errors", Manager, "Emails that did not go", async (s, page) =>
        {
            await s.UndeliveredEmail.Value;
            await page.GotoAsync("/staff/emails");
            await page.Locator("form:has(input[type=checkbox]) button").First.ClickAsync();
            await Assertions.Expect(page.Locator("#error-summary")).ToBeFocusedAsync();
        }),
        new("practitioners and caseloads", Manager, "Practitioners and caseloads", (_, page) => page.GotoAsync("/staff/practitioners")),
        new("practitioner's details", Manager, "Practitioner practitioner-selby", (_, page) => page.GotoAsync("/staff/practitioners/practitioner-selby")),
        new("practitioner's details with errors", Manager, "Practitioner practitioner-selby", async (_, page) =>
        {
            await page.GotoAsync("/staff/practitioners/practitioner-selby");
            await page.GetByLabel("Capacity").FillAsync("lots");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save the practitioner" }).ClickAsync();
            await Assertions.Expect(page.Locator("#error-summary")).ToBeFocusedAsync();
        }),
        new("new practitioner form", Manager, "Add a practitioner", (_, page) => page.GotoAsync("/staff/new-practitioner")),
        new("new practitioner form with errors", Manager, "Add a practitioner", async (_, page) =>
        {
            await page.GotoAsync("/staff/new-practitioner");
            await page.GetByLabel("Capacity").FillAsync("lots");
            await page.GetByRole(AriaRole.Button, new() { Name = "Add the practitioner" }).ClickAsync();
            await Assertions.Expect(page.Locator("#error-summary")).ToBeFocusedAsync();
        }),
        new("Trusted Relationships referral form", null, "Refer a young person", (_, page) => page.GotoAsync("/referrals/new/trusted-relationships")),
        new("development sign-in", null, "Sign in (development)", (_, page) => page.GotoAsync("/dev/sign-in")),
        new("development sign-in with errors", null, "Sign in (development)", async (_, page) =>
        {
            await page.GotoAsync("/dev/sign-in");
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();
        }),
        new("development sign-in, signed in", Manager, "Sign in (development)", (_, page) => page.GotoAsync("/dev/sign-in")),
        new("development mailbox", null, "Mailbox", async (s, page) =>
        {
            await s.AllocatedCase.Value;
            await page.GotoAsync("/dev/mailbox");
        }),
        new("an email in the development mailbox", null, "Email", async (s, page) =>
        {
            await s.AllocatedCase.Value;
            await page.GotoAsync("/dev/mailbox");
            await page.Locator("main a[href^='/dev/mailbox/']").First.ClickAsync();
        }),
        new("development notifications", null, "Notifications", (_, page) => page.GotoAsync("/dev/notifications")),

        // The young person's survey and the referrer's feedback, from their emailed links.
        new("survey", null, "Tell us what you thought", async (s, page) => await page.GotoAsync(await s.SurveyLink.Value)),
        new("survey with errors", null, "Tell us what you thought", async (s, page) =>
        {
            await page.GotoAsync(await s.SurveyLink.Value);
            await AccessibilitySite.AnswerOutsideTheChoicesAsync(page);
        }),
        new("survey answered", null, "Thank you", async (s, page) =>
        {
            await page.GotoAsync(await s.SurveyToAnswerLink.Value);
            foreach (var question in new[] { "Could you trust your worker?", "Did you feel listened to?", "Did you feel safe when you met?" })
            {
                await page.GetByRole(AriaRole.Group, new() { Name = question }).GetByLabel("Yes").CheckAsync();
            }

            await page.GetByRole(AriaRole.Button, new() { Name = "Send my answers" }).ClickAsync();
        }),
        new("link not available", null, "This link is not available", (_, page) => page.GotoAsync("/survey/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")),
        new("feedback", null, "Your feedback", async (s, page) => await page.GotoAsync(await s.FeedbackLink.Value)),
        new("feedback with errors", null, "Your feedback", async (s, page) =>
        {
            await page.GotoAsync(await s.FeedbackLink.Value);
            await AccessibilitySite.AnswerOutsideTheChoicesAsync(page);
        }),

        // Account pages.
        new("sign out", Manager, "Sign out", (_, page) => page.GotoAsync("/account/sign-out")),
        new("signed out", null, "You have signed out", (_, page) => page.GotoAsync("/account/signed-out")),
    ];

    public static TheoryData<string> PageNames => new(Cases.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(PageNames))]
    public async Task ThePageHasNoWcag21AOrAAViolation(string name)
    {
        var pageCase = Cases.Single(c => c.Name == name);
        await using var context = await site.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = site.BaseUrl });
        var page = await context.NewPageAsync();
        if (pageCase.SignedInAs is { } who)
        {
            var (staffId, role) = (who.Split(':')[0], who.Split(':')[1]);
            await AccessibilitySite.SignInAsync(page, staffId, role);
        }

        await pageCase.OpenAsync(site, page);
        // The page really is the one named (not a sign-in page or an error in its place).
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync(pageCase.Heading);

        var violations = await Axe.CheckAsync(page);

        Assert.True(violations.Count == 0, AxeViolation.Describe($"{name} ({new Uri(page.Url).PathAndQuery})", violations));
    }

    [Fact]
    public async Task TheCheckFindsAndNamesEachViolationOfAPageThatHasThem()
    {
        await using var context = await site.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        // No language, an image without a text alternative, grey on white below 4.5:1, an unlabelled field.
        await page.SetContentAsync("<html><head><title>Bad</title></head><body><main><h1>Bad</h1><img id=\"photo\" src=\"data:,\"><p id=\"faint\" style=\"color:#aaa;background:#fff\">Faint text</p><input id=\"nameless\" type=\"text\"></main></body></html>");

        var violations = await Axe.CheckAsync(page);
        var message = AxeViolation.Describe("a bad page", violations);

        Assert.Equal(["color-contrast", "html-has-lang", "image-alt", "label"], violations.Select(v => v.Id).Order(StringComparer.Ordinal));
        Assert.Contains("image-alt (critical): Images must have alternative text\n    at #photo", message, StringComparison.Ordinal);
        Assert.Contains("at #faint", message, StringComparison.Ordinal);
        Assert.Contains("at #nameless", message, StringComparison.Ordinal);
    }

    /// <summary>One page in one state: <paramref name="SignedInAs"/> is "staff-id:role", or null for nobody.</summary>
    private sealed record PageCase(string Name, string? SignedInAs, string Heading, Func<AccessibilitySite, IPage, Task> OpenAsync);
}
