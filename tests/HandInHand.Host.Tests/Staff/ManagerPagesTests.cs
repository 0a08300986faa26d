using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using HandInHand.Host.Tests.Lifecycle;
using HandInHand.Host.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;

namespace HandInHand.Host.Tests.Staff;

/// <summary>
/// The service manager's pages over plain HTTP, as a browser without scripts gets them: the triage
/// queue, the triage and allocation forms on the case page, the waiting list and the dashboard's
/// links, each under the API's own rules.
/// </summary>
public sealed partial class ManagerPagesTests(HandInHandFactory factory) : IClassFixture<HandInHandFactory>
{
    /// <summary>A region of its own for the waiting-list tests: its practitioner is given no places.</summary>
    private const string Hambleton = "Hambleton and Richmondshire";

    private const string HambletonPractitioner = "practitioner-hambleton-richmondshire";

    private readonly LifecycleDriver _hh = new(factory);

    private readonly HttpClient _browser = factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });

    private Task<HttpResponseMessage> GetAsync(string path, StaffActor actor) => _browser.SendAsync(As(new HttpRequestMessage(HttpMethod.Get, path), actor));

    private async Task<string> PageAsync(string path, StaffActor? actor = null)
    {
        var response = await GetAsync(path, actor ?? StaffActor.Manager);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static HttpRequestMessage As(HttpRequestMessage request, StaffActor actor)
    {
        request.Headers.Add("X-Actor-Id", actor.Id);
        request.Headers.Add("X-Actor-Role", actor.Role);
        return request;
    }

    /// <summary>
    /// Opens the case page as the manager and posts its form for <paramref name="action"/>, with
    /// <paramref name="fields"/> over the form's own, as <paramref name="actor"/>.
    /// </summary>
    private async Task<HttpResponseMessage> PostAsync(string reference, string action, Dictionary<string, string> fields, StaffActor? actor = null)
    {
        var html = await (await GetAsync($"/staff/cases/{reference}", StaffActor.Manager)).Content.ReadAsStringAsync();
        return await PostFromAsync(html, reference, action, fields, actor ?? StaffActor.Manager);
    }

    /// <summary>
    /// Posts the hidden fields of the form in <paramref name="html"/> that posts to <paramref name="action"/>
    /// (or, without one, the header's sign-out token), with <paramref name="fields"/> laid over them.
    /// </summary>
    private async Task<HttpResponseMessage> PostFromAsync(string html, string reference, string action, Dictionary<string, string> fields, StaffActor actor)
    {
        var at = html.IndexOf($"<form method=\"post\" action=\"/staff/cases/{reference}/{action}\"", StringComparison.Ordinal);
        var ours = at < 0 ? html[html.IndexOf("<form method=\"post\" action=\"/account/sign-out\"", StringComparison.Ordinal)..] : html[at..];
        ours = ours[..ours.IndexOf("</form>", StringComparison.Ordinal)];
        var form = HiddenInput().Matches(ours).ToDictionary(m => m.Groups["name"].Value, m => WebUtility.HtmlDecode(m.Groups["value"].Value));
        foreach (var (name, value) in fields)
        {
            form[name] = value;
        }

        var request = new HttpRequestMessage(HttpMethod.Post, $"/staff/cases/{reference}/{action}") { Content = new FormUrlEncodedContent(form) };
        return await _browser.SendAsync(As(request, actor));
    }

    /// <summary>A referral in <see cref="Hambleton"/>, accepted onto the waiting list: its practitioner has no place.</summary>
    private async Task<string> WaitingAsync()
    {
        await _hh.PutPractitionerAsync(HambletonPractitioner, Hambleton, capacity: 0);
        var reference = await _hh.SubmitAsync(_hh.Form(region: Hambleton));
        Assert.Equal("WaitingList", (await _hh.AcceptAsync(reference)).Stage);
        return reference;
    }

    [Fact]
    public async Task TheTriageQueueListsEachReferralInPlainWordsWithItsDeadlineAndALinkToItsCase()
    {
        var reference = await _hh.SubmitAsync(_hh.Form(risk: "medium"));

        var html = await PageAsync("/staff/triage");

        var row = Assert.Single(TableRow().Matches(html), m => m.Value.Contains(reference, StringComparison.Ordinal)).Value;
        Assert.Contains($"<a href=\"/staff/cases/{reference}\">{reference}</a>", row, StringComparison.Ordinal);
        Assert.Contains("<td>Waiting for triage</td>", row, StringComparison.Ordinal);
        Assert.Contains("<td>Medium</td>", row, StringComparison.Ordinal);
        Assert.Contains("<td>Selby</td>", row, StringComparison.Ordinal);
        Assert.Matches("<td>\\d{1,2} [A-Z][a-z]+ 20\\d\\d at \\d\\d:\\d\\d</td>", row);
        Assert.DoesNotContain("AwaitingTriage", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/staff/triage\" aria-current=\"page\">Triage queue</a>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/staff/waiting-list\">Waiting list</a>", html, StringComparison.Ordinal);
        Assert.Contains("class=\"table-scroll\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReferralPastItsTriageDeadlineIsMarkedOverdueInTheQueue()
    {
        var reference = await _hh.SubmitAsync(_hh.Form());
        var queued = Assert.Single(await _hh.GetOkAsync<List<HandInHand.Host.Staff.QueueItem>>("/api/staff/triage-queue"), q => q.Reference == reference);

        // The page reads the deadline against the host's clock, moved past it.
        factory.Clock.SetUtcNow(queued.TriageDueAt!.Value.AddMinutes(1));
        var html = await PageAsync("/staff/triage");

        var row = Assert.Single(TableRow().Matches(html), m => m.Value.Contains(reference, StringComparison.Ordinal)).Value;
        Assert.Contains("<span class=\"overdue\">Overdue</span>", row, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheManagersPagesAreRefusedToAPractitionerAndThePanelSeesNoHandInHandReferral()
    {
        var reference = await _hh.SubmitAsync(_hh.Form());

        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync("/staff/triage", StaffActor.Selby)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync("/staff/waiting-list", StaffActor.Selby)).StatusCode);
        Assert.DoesNotContain(reference, await PageAsync("/staff/triage", StaffActor.Panel), StringComparison.Ordinal);

        // A practitioner who does not hold the case cannot see it or triage it: 404, as the API answers.
        var posted = await PostAsync(reference, "accept", [], StaffActor.Selby);
        Assert.Equal(HttpStatusCode.NotFound, posted.StatusCode);
        Assert.Equal("AwaitingTriage", (await _hh.ViewAsync(reference)).Stage);
        Assert.DoesNotContain("/staff/triage", await PageAsync("/staff/cases", StaffActor.Selby), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheCasePageOffersTheManagerTheThreeTriageDecisionsWhileTheReferralAwaitsTriage()
    {
        var reference = await _hh.SubmitAsync(_hh.Form());

        var html = await PageAsync($"/staff/cases/{reference}");

        Assert.Contains($"<form method=\"post\" action=\"/staff/cases/{reference}/accept\"", html, StringComparison.Ordinal);
        Assert.Contains($"<form method=\"post\" action=\"/staff/cases/{reference}/decline\"", html, StringComparison.Ordinal);
        Assert.Contains($"<form method=\"post\" action=\"/staff/cases/{reference}/request-information\"", html, StringComparison.Ordinal);
        Assert.Contains("<option value=\"criteria\">Did not meet the criteria</option>", html, StringComparison.Ordinal);
        Assert.Contains("<option value=\"capacity\">No capacity</option>", html, StringComparison.Ordinal);
        Assert.Contains("<option value=\"other\">Other reason</option>", html, StringComparison.Ordinal);
        Assert.Contains("<textarea id=\"decline-reason\" name=\"reason\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Record first contact</h2>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AcceptingFromTheCasePageReturnsToTheCaseShowingTheNewStage()
    {
        var reference = await _hh.SubmitAsync(_hh.Form());

        var response = await PostAsync(reference, "accept", []);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/staff/cases/{reference}?recorded=accepted", response.Headers.Location!.OriginalString);
        var html = await PageAsync(response.Headers.Location.OriginalString);
        Assert.Contains("Referral accepted.", html, StringComparison.Ordinal);
        Assert.Contains("<dd id=\"stage\">Allocated: first contact not yet recorded</dd>", html, StringComparison.Ordinal);
        Assert.DoesNotContain($"/staff/cases/{reference}/accept\"", html, StringComparison.Ordinal);
        Assert.Equal("Allocated", (await _hh.ViewAsync(reference)).Stage);
    }

    [Fact]
    public async Task ADeclineWithoutAReasonKeepsTheValuesShowsTheErrorBesideItsFieldAndChangesNothing()
    {
        var reference = await _hh.SubmitAsync(_hh.Form());

        var response = await PostAsync(reference, "decline", new() { ["reason"] = "  ", ["category"] = "capacity" });
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("<title>Error: Case ", html, StringComparison.Ordinal);
        Assert.Matches("<div class=\"error-summary\"[^>]* tabindex=\"-1\" autofocus>", html);
        Assert.Contains("<a href=\"#decline-reason\">Give the reason for declining, in up to 2000 characters.</a>", html, StringComparison.Ordinal);
        Assert.Contains("id=\"decline-reason-error\"><span class=\"visually-hidden\">Error: </span>Give the reason", html, StringComparison.Ordinal);
        Assert.Contains("<option value=\"capacity\" selected>No capacity</option>", html, StringComparison.Ordinal);
        Assert.Equal("AwaitingTriage", (await _hh.ViewAsync(reference)).Stage);

        var noCategory = await PostAsync(reference, "decline", new() { ["reason"] = "Outside our area", ["category"] = "no-longer-needed" });
        var noCategoryHtml = await noCategory.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, noCategory.StatusCode);
        Assert.Contains("<a href=\"#decline-category\">Choose why the referral is declined.</a>", noCategoryHtml, StringComparison.Ordinal);
        Assert.Contains(">Outside our area</textarea>", noCategoryHtml, StringComparison.Ordinal);
        Assert.Equal("AwaitingTriage", (await _hh.ViewAsync(reference)).Stage);

        var declined = await PostAsync(reference, "decline", new() { ["reason"] = "Outside our area", ["category"] = "criteria" });
        Assert.Equal(HttpStatusCode.Redirect, declined.StatusCode);
        Assert.Contains("<dd id=\"stage\">Declined</dd>", await PageAsync(declined.Headers.Location!.OriginalString), StringComparison.Ordinal);
        Assert.Equal("Declined", (await _hh.ViewAsync(reference)).Stage);
    }

    [Fact]
    public async Task AskingForMoreInformationReturnsToTheCaseWaitingForTheReferrer()
    {
        var reference = await _hh.SubmitAsync(_hh.Form());

        var response = await PostAsync(reference, "request-information", []);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var html = await PageAsync(response.Headers.Location!.OriginalString);
        Assert.Contains("More information asked of the referrer.", html, StringComparison.Ordinal);
        Assert.Contains("<dd id=\"stage\">Waiting for more information from the referrer</dd>", html, StringComparison.Ordinal);
        Assert.Equal("AwaitingInformation", (await _hh.ViewAsync(reference)).Stage);
    }

    [Fact]
    public async Task ATriageDecisionThatNoLongerFitsTheCaseSaysSoInPlainWords()
    {
        var reference = await _hh.SubmitAsync(_hh.Form());
        var page = await GetAsync($"/staff/cases/{reference}", StaffActor.Manager);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        await _hh.AcceptAsync(reference);

        // The decline form was open before the referral was accepted elsewhere.
        var response = await PostFromAsync(await page.Content.ReadAsStringAsync(), reference, "decline", new() { ["reason"] = "Not for us", ["category"] = "criteria" }, StaffActor.Manager);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("The referral cannot be declined now: the case is at the step &quot;Allocated: first contact not yet recorded&quot;.", html, StringComparison.Ordinal);
        Assert.Contains("<dd id=\"stage\">Allocated: first contact not yet recorded</dd>", html, StringComparison.Ordinal);
        Assert.Equal("Allocated", (await _hh.ViewAsync(reference)).Stage);
    }

    [Fact]
    public async Task ATriageFormWithoutItsAntiforgeryTokenIsRefusedAndChangesNothing()
    {
        var reference = await _hh.SubmitAsync(_hh.Form());
        var request = As(new HttpRequestMessage(HttpMethod.Post, $"/staff/cases/{reference}/accept") { Content = new FormUrlEncodedContent([]) }, StaffActor.Manager);

        var response = await _browser.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("The page had expired", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("AwaitingTriage", (await _hh.ViewAsync(reference)).Stage);
    }

    [Fact]
    public async Task AWaitingReferralOffersTheSuggestedPractitionerAndAnOverrideAndAllocatingReturnsToTheCase()
    {
        var reference = await WaitingAsync();

        var html = await PageAsync($"/staff/cases/{reference}");

        Assert.Contains($"<form method=\"post\" action=\"/staff/cases/{reference}/allocate\"", html, StringComparison.Ordinal);
        Assert.Contains($"id=\"suggested-practitioner\"", html, StringComparison.Ordinal);
        Assert.Contains($"<button type=\"submit\" name=\"practitionerId\" value=\"{HambletonPractitioner}\">Allocate to Practitioner {HambletonPractitioner}</button>", html, StringComparison.Ordinal);
        Assert.Contains("over capacity", html, StringComparison.Ordinal);
        Assert.Contains("<option value=\"practitioner-selby\">Practitioner, Selby (Selby): ", html, StringComparison.Ordinal);
        Assert.DoesNotContain($"/staff/cases/{reference}/accept\"", html, StringComparison.Ordinal);

        // The practitioner as posted is checked: none chosen is a field error, and nothing changes.
        var none = await PostAsync(reference, "allocate", new() { ["practitionerId"] = string.Empty });
        var noneHtml = await none.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        Assert.Contains("<a href=\"#allocate-practitioner\">Choose the practitioner to allocate to.</a>", noneHtml, StringComparison.Ordinal);
        var unknown = await PostAsync(reference, "allocate", new() { ["practitionerId"] = "practitioner-nobody" });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("There is no practitioner with that id.", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("WaitingList", (await _hh.ViewAsync(reference)).Stage);

        var response = await PostAsync(reference, "allocate", new() { ["practitionerId"] = HambletonPractitioner });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var after = await PageAsync(response.Headers.Location!.OriginalString);
        Assert.Contains("Case allocated.", after, StringComparison.Ordinal);
        Assert.Contains("<dd id=\"stage\">Allocated: first contact not yet recorded</dd>", after, StringComparison.Ordinal);
        var view = await _hh.ViewAsync(reference);
        Assert.Equal("Allocated", view.Stage);
        Assert.Equal(HambletonPractitioner, view.PractitionerId);
    }

    [Fact]
    public async Task TheWaitingListShowsTimeWaitedAndLinksEachReferralToItsCase()
    {
        var reference = await WaitingAsync();
        factory.Clock.SetUtcNow(_hh.Now.AddDays(3));

        var html = await PageAsync("/staff/waiting-list");

        var row = Assert.Single(TableRow().Matches(html), m => m.Value.Contains(reference, StringComparison.Ordinal)).Value;
        Assert.Contains($"<a href=\"/staff/cases/{reference}\">{reference}</a>", row, StringComparison.Ordinal);
        Assert.Contains($"<td>{Hambleton}</td>", row, StringComparison.Ordinal);
        Assert.Contains("<td>High</td>", row, StringComparison.Ordinal);
        Assert.Contains("<td>3 days</td>", row, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/staff/waiting-list\" aria-current=\"page\">Waiting list</a>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDashboardLinksEachReferenceToItsCaseInPlainWordsWithinTheStaffShell()
    {
        var reference = await _hh.SubmitAsync(_hh.Form());

        var html = await PageAsync("/staff/dashboard");

        var row = Assert.Single(TableRow().Matches(html[html.IndexOf("id=\"triage-table\"", StringComparison.Ordinal)..]), m => m.Value.Contains(reference, StringComparison.Ordinal)).Value;
        Assert.Contains($"<a href=\"/staff/cases/{reference}\">{reference}</a>", row, StringComparison.Ordinal);
        Assert.Contains("<td>Waiting for triage</td>", row, StringComparison.Ordinal);
        Assert.DoesNotContain("AwaitingTriage", html, StringComparison.Ordinal);
        Assert.Contains("Signed in as manager-1, service manager.", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/staff/triage\">Triage queue</a>", html, StringComparison.Ordinal);
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]+)\" value=\"(?<value>[^\"]*)\">")]
    private static partial Regex HiddenInput();

    [GeneratedRegex("<tr>.*?</tr>", RegexOptions.Singleline)]
    private static partial Regex TableRow();
}
