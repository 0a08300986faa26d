using HandInHand.Host.Tests.Lifecycle;
using HandInHand.Host.Tests.Surveys;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace HandInHand.Host.Tests.Support;

/// <summary>
/// One host on a real socket and one Chromium for every page checked, with the referrals the pages
/// need, each made once, when a page first asks for it.
/// </summary>
public sealed class AccessibilitySite : IAsyncLifetime, IDisposable
{
    private readonly KestrelHandInHandFactory _host = new();
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public AccessibilitySite()
    {
        var hh = new LifecycleDriver(_host);
        AllocatedCase = new(async () =>
        {
            var reference = await hh.SubmitAsync();
            Assert.Equal("Allocated", (await hh.AcceptAsync(reference)).Stage);
            return reference;
        });
        ActiveCase = new(async () =>
        {
            var reference = await hh.SubmitAsync();
            Assert.Equal("Active", (await hh.ActivateAsync(reference)).Stage);
            return reference;
        });
        ReceivedReferral = new(async () =>
        {
            var reference = await hh.SubmitAsync();
            return (reference, hh.AccessCode(reference));
        });
        ToWithdraw = new(async () =>
        {
            var reference = await hh.SubmitAsync();
            return (reference, hh.AccessCode(reference));
        });
        InformationAsked = new(async () =>
        {
            var reference = await hh.SubmitAsync();
            await hh.CommandAsync(reference, "request-information", StaffActor.Manager);
            return (reference, hh.AccessCode(reference));
        });
        SurveyLink = new(async () => await SurveyMail.SingleAsync(_host, await hh.CloseAfterSupportAsync(), "survey"));
        SurveyToAnswerLink = new(async () => await SurveyMail.SingleAsync(_host, await hh.CloseAfterSupportAsync(), "survey"));
        UndeliveredEmail = new(async () =>
        {
            // What a send interrupted mid-way leaves: an email that may or may not have gone.
            var reference = await hh.SubmitAsync();
            var table = _host.Services.GetRequiredService<HandInHand.Infrastructure.Storage.TableProvider>().Get(HandInHand.Infrastructure.Notifications.EmailDelivery.TableName);
            await table.AddEntityAsync(new Azure.Data.Tables.TableEntity(reference, reference + "-unknown-000")
            {
                ["MessageId"] = reference + "|unknown|000",
                ["Kind"] = "ReferralAccepted",
                ["RecipientRole"] = "Referrer",
                ["Status"] = "Unknown",
                ["Attempts"] = 1,
                ["UpdatedAt"] = DateTimeOffset.UtcNow,
            });
            return reference;
        });
        FeedbackLink = new(async () => await SurveyMail.SingleAsync(_host, await hh.CloseAfterSupportAsync(safeEmail: null), "feedback"));
    }

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser starts with the fixture.");

    public string BaseUrl => _host.ServerAddress.ToString();

    /// <summary>A referral allocated to the Selby practitioner, first contact not yet made.</summary>
    internal Lazy<Task<string>> AllocatedCase { get; }

    /// <summary>A referral the Selby practitioner supports: first contact made, consent given. Its pages only show forms with errors, so it stays as it is.</summary>
    internal Lazy<Task<string>> ActiveCase { get; }

    /// <summary>A referral just received, with the access code its referrer was given.</summary>
    internal Lazy<Task<(string Reference, string AccessCode)>> ReceivedReferral { get; }

    /// <summary>A referral of its own for the page that withdraws it, so that the others find theirs still open.</summary>
    internal Lazy<Task<(string Reference, string AccessCode)>> ToWithdraw { get; }

    /// <summary>A referral whose referrer has been asked for more information.</summary>
    internal Lazy<Task<(string Reference, string AccessCode)>> InformationAsked { get; }

    /// <summary>A survey link that stays unanswered.</summary>
    internal Lazy<Task<string>> SurveyLink { get; }

    /// <summary>A survey link of its own for the page that answers it, so the others still find theirs open.</summary>
    internal Lazy<Task<string>> SurveyToAnswerLink { get; }

    /// <summary>A referral with an email to its referrer that may or may not have gone.</summary>
    internal Lazy<Task<string>> UndeliveredEmail { get; }

    /// <summary>The referrer's feedback link of a case closed without a safe channel to the young person.</summary>
    internal Lazy<Task<string>> FeedbackLink { get; }

    public async Task InitializeAsync() => (_playwright, _browser) = await Chromium.LaunchAsync();

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }

    /// <summary>xunit disposes a fixture after <see cref="DisposeAsync"/>: the host goes last, once no browser can call it.</summary>
    public void Dispose() => _host.Dispose();

    /// <summary>Signs the page's browser context in through the development sign-in.</summary>
    internal static async Task SignInAsync(IPage page, string staffId, string role)
    {
        await page.GotoAsync("/dev/sign-in");
        await page.GetByLabel("Staff id").FillAsync(staffId);
        await page.GetByLabel("Role").SelectOptionAsync(role);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.Locator("#signed-in")).ToContainTextAsync(staffId);
    }

    /// <summary>Opens a referral's status page as its referrer does: reference and access code in the status form.</summary>
    internal static async Task OpenStatusAsync(IPage page, (string Reference, string AccessCode) referral)
    {
        await page.GotoAsync("/referrals/status");
        await page.GetByLabel("Reference").FillAsync(referral.Reference);
        await page.GetByLabel("Access code").FillAsync(referral.AccessCode);
        await page.GetByRole(AriaRole.Button, new() { Name = "Check status" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync($"Referral {referral.Reference}");
    }

    /// <summary>
    /// Sends a survey or feedback form with an answer that is not one of its choices, as a tampered
    /// request would (a browser cannot otherwise), so that the form comes back with its errors.
    /// </summary>
    internal static async Task AnswerOutsideTheChoicesAsync(IPage page)
    {
        await page.Locator("input[type=radio]").First.EvaluateAsync("radio => { radio.value = 'maybe'; radio.checked = true; }");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send my answers" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();
    }

    /// <summary>Fills in and sends the referral form as a referrer would, up to its confirmation page.</summary>
    internal async Task SubmitReferralFormAsync(IPage page)
    {
        await page.GotoAsync("/referrals/new");
        await page.GetByLabel("First name").FillAsync("Alex");
        await page.GetByLabel("Last name").FillAsync("Example");
        await page.GetByLabel("Date of birth").FillAsync(DateOnly.FromDateTime(_host.Clock.GetUtcNow().UtcDateTime).AddYears(-15).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
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
    }
}
