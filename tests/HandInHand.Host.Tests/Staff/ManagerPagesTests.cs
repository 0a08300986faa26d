using System.Net;
using Azure.Data.Tables;
using HandInHand.Infrastructure.Mail;
using HandInHand.Infrastructure.Notifications;
using Microsoft.Extensions.DependencyInjection;
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

    /// <summary>
    /// Posts the form in <paramref name="html"/> whose action is <paramref name="path"/>: its hidden
    /// fields, with <paramref name="fields"/> laid over them, as <paramref name="actor"/>.
    /// </summary>
    private async Task<HttpResponseMessage> PostFormAsync(string html, string path, Dictionary<string, string> fields, StaffActor? actor = null)
    {
        var at = html.IndexOf($"<form method=\"post\" action=\"{path}\"", StringComparison.Ordinal);
        Assert.True(at >= 0, $"no form posting to {path}");
        var ours = html[at..];
        ours = ours[..ours.IndexOf("</form>", StringComparison.Ordinal)];
        var form = HiddenInput().Matches(ours).ToDictionary(m => m.Groups["name"].Value, m => WebUtility.HtmlDecode(m.Groups["value"].Value));
        foreach (var (name, value) in fields)
        {
            form[name] = value;
        }

        return await _browser.SendAsync(As(new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) }, actor ?? StaffActor.Manager));
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

        // The orchestrations record the joining at real time, which runs on from the host's clock:
        // the page's clock is set three days after the joining (or left where another test moved it).
        var joined = Assert.Single(await _hh.GetOkAsync<List<HandInHand.Host.Staff.WaitingItem>>("/api/staff/waiting-list"), w => w.Reference == reference).JoinedAt;
        if (joined.AddDays(3).AddHours(1) > factory.Clock.GetUtcNow())
        {
            factory.Clock.SetUtcNow(joined.AddDays(3).AddHours(1));
        }

        var days = (int)(factory.Clock.GetUtcNow() - joined).TotalDays;
        Assert.True(days >= 3, $"waited {days} days");
        var html = await PageAsync("/staff/waiting-list");

        var row = Assert.Single(TableRow().Matches(html), m => m.Value.Contains(reference, StringComparison.Ordinal)).Value;
        Assert.Contains($"<a href=\"/staff/cases/{reference}\">{reference}</a>", row, StringComparison.Ordinal);
        Assert.Contains($"<td>{Hambleton}</td>", row, StringComparison.Ordinal);
        Assert.Contains("<td>High</td>", row, StringComparison.Ordinal);
        Assert.Contains($"<td>{days} days</td>", row, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/staff/waiting-list\" aria-current=\"page\">Waiting list</a>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheWaitingListPageOrdersReferralsAsTheIndexOffersThemPlaces()
    {
        // Received in this order: standard, high, medium, high. Places go to high risk first, then
        // the longest since received, so the page (read from the case board's cards) must list them
        // as the waiting-list index (the API) does: the two high, oldest first, then medium, then standard.
        await _hh.PutPractitionerAsync(HambletonPractitioner, Hambleton, capacity: 0);
        var references = new List<string>();
        foreach (var risk in new[] { "standard", "high", "medium", "high" })
        {
            var reference = await _hh.SubmitAsync(_hh.Form(region: Hambleton, risk: risk));
            Assert.Equal("WaitingList", (await _hh.AcceptAsync(reference)).Stage);
            references.Add(reference);
        }

        string[] expected = [references[1], references[3], references[2], references[0]];
        var index = (await _hh.GetOkAsync<List<HandInHand.Host.Staff.WaitingItem>>("/api/staff/waiting-list")).Select(w => w.Reference).Where(references.Contains).ToList();
        Assert.Equal(expected, index);

        var html = await PageAsync("/staff/waiting-list");
        var rows = TableRow().Matches(html).Select(m => m.Value).ToList();
        var page = references.Select(r => (Reference: r, At: rows.FindIndex(row => row.Contains($">{r}</a>", StringComparison.Ordinal))))
            .Where(p => p.At >= 0).OrderBy(p => p.At).Select(p => p.Reference).ToList();
        Assert.Equal(expected, page);
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

    [Fact]
    public async Task ALegalHoldIsConfirmedOnItsOwnPageWithAReasonAndReleasedOnAnotherEachAudited()
    {
        var reference = await _hh.SubmitAsync(_hh.Form());
        var holdPath = $"/staff/retention/{reference}/legal-hold";

        var confirm = await PageAsync(holdPath);
        Assert.Contains($"<h1>Place a legal hold on {reference}</h1>", confirm, StringComparison.Ordinal);
        Assert.Contains("cannot be erased, until someone releases the hold", confirm, StringComparison.Ordinal);
        Assert.Contains("<dd id=\"legal-hold\">No</dd>", confirm, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/staff/retention\">Retention reviews</a>", confirm, StringComparison.Ordinal);

        // No reason, or one too long: the error sits beside the field, the typed value comes back, nothing changes.
        var tooLong = new string('x', 2001);
        var refused = await PostFormAsync(confirm, holdPath, new() { ["reason"] = tooLong });
        var refusedHtml = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("<title>Error: Place a legal hold on ", refusedHtml, StringComparison.Ordinal);
        Assert.Matches("<div class=\"error-summary\"[^>]* tabindex=\"-1\" autofocus>", refusedHtml);
        Assert.Contains("<a href=\"#hold-reason\">Give the reason for the legal hold, in up to 2000 characters.</a>", refusedHtml, StringComparison.Ordinal);
        Assert.Contains("id=\"hold-reason-error\"><span class=\"visually-hidden\">Error: </span>Give the reason", refusedHtml, StringComparison.Ordinal);
        Assert.Contains($"aria-invalid=\"true\">{tooLong}</textarea>", refusedHtml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostFormAsync(confirm, holdPath, new() { ["reason"] = "  " })).StatusCode);
        Assert.DoesNotContain(await _hh.TimelineAsync(reference), s => s.Type == "LegalHoldPlaced");

        var placed = await PostFormAsync(confirm, holdPath, new() { ["reason"] = "Court order" });
        Assert.Equal(HttpStatusCode.Redirect, placed.StatusCode);
        Assert.Equal("/staff/retention?done=held", placed.Headers.Location!.OriginalString);
        Assert.Contains("The legal hold was placed.", await PageAsync(placed.Headers.Location.OriginalString), StringComparison.Ordinal);
        Assert.Contains(await _hh.TimelineAsync(reference), s => s.Type == "LegalHoldPlaced");

        var releasePath = $"/staff/retention/{reference}/legal-hold/release";
        var release = await PageAsync(releasePath);
        Assert.Contains("<dd id=\"legal-hold\">Yes</dd>", release, StringComparison.Ordinal);
        Assert.Contains("Nothing is erased now", release, StringComparison.Ordinal);
        var released = await PostFormAsync(release, releasePath, []);
        Assert.Equal(HttpStatusCode.Redirect, released.StatusCode);
        Assert.Equal("/staff/retention?done=released", released.Headers.Location!.OriginalString);
        Assert.Contains(await _hh.TimelineAsync(reference), s => s.Type == "LegalHoldReleased");

        var log = await _hh.GetOkAsync<List<HandInHand.Host.Audit.AccessLogEntry>>($"/api/referrals/{reference}/audit", StaffActor.Manager);
        Assert.Contains(log, e => e is { ActorId: "manager-1", Outcome: "allowed" } && e.Action == "POST /staff/retention/{reference}/legal-hold");
        Assert.Contains(log, e => e is { ActorId: "manager-1", Outcome: "allowed" } && e.Action == "POST /staff/retention/{reference}/legal-hold/release");
    }

    [Fact]
    public async Task ErasingARecordStillOpenIsRefusedInPlainWordsAndChangesNothing()
    {
        var reference = await _hh.SubmitAsync(_hh.Form());
        var erasePath = $"/staff/retention/{reference}/erase";
        var confirm = await PageAsync(erasePath);
        Assert.Contains("this cannot be undone", confirm, StringComparison.Ordinal);

        var response = await PostFormAsync(confirm, erasePath, []);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("The personal data cannot be erased: the case is still open.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(await _hh.TimelineAsync(reference), s => s.Type == "Erased");
    }

    [Fact]
    public async Task TheRetentionPagesAreRefusedToAPractitionerAndChangeNothing()
    {
        var reference = await _hh.SubmitAsync(_hh.Form());
        var confirm = await PageAsync($"/staff/retention/{reference}/legal-hold");

        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync("/staff/retention", StaffActor.Selby)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync($"/staff/retention/{reference}/erase", StaffActor.Selby)).StatusCode);
        var posted = await PostFormAsync(confirm, $"/staff/retention/{reference}/legal-hold", new() { ["reason"] = "Court order" }, StaffActor.Selby);
        Assert.Equal(HttpStatusCode.Forbidden, posted.StatusCode);
        Assert.DoesNotContain(await _hh.TimelineAsync(reference), s => s.Type == "LegalHoldPlaced");
        Assert.DoesNotContain("/staff/retention", await PageAsync("/staff/cases", StaffActor.Selby), StringComparison.Ordinal);
        Assert.Contains("<a href=\"/staff/retention\">Retention reviews</a>", await PageAsync("/staff/triage"), StringComparison.Ordinal);
    }

    /// <summary>Records an email of <paramref name="reference"/>'s to the referrer as <paramref name="status"/>: what a refused or interrupted send leaves.</summary>
    private async Task<string> UndeliveredAsync(string reference, string status)
    {
        var messageId = $"{reference}|{status.ToLowerInvariant()}|{Guid.NewGuid():N}";
        var table = factory.Services.GetRequiredService<HandInHand.Infrastructure.Storage.TableProvider>().Get(EmailDelivery.TableName);
        await table.AddEntityAsync(new TableEntity(reference, messageId.Replace('|', '-'))
        {
            ["MessageId"] = messageId,
            ["Kind"] = "ReferralAccepted",
            ["RecipientRole"] = "Referrer",
            ["Status"] = status,
            ["Attempts"] = 1,
            ["Error"] = "550 mailbox sam.worker@example.org unavailable",
            ["UpdatedAt"] = factory.Clock.GetUtcNow(),
        });
        return messageId;
    }

    /// <summary>The retry form of the row of the email <paramref name="messageId"/>, found by its unique last part.</summary>
    private static string RetryFormOf(string html, string messageId)
    {
        var at = html.IndexOf(messageId[(messageId.LastIndexOf('|') + 1)..], StringComparison.Ordinal);
        Assert.True(at >= 0, $"{messageId} is not on the page");
        return html[html[..at].LastIndexOf("<form method=\"post\" action=\"/staff/emails/retry\"", StringComparison.Ordinal)..];
    }

    private bool InMailbox(string messageId) => new DevelopmentMailbox(factory.MailboxPath).List().Any(e => e.MessageId == messageId);

    [Fact]
    public async Task AnEmailThatMayHaveGoneIsSentAgainOnlyWhenTheManagerSaysItDidNotArrive()
    {
        var form = _hh.Form();
        var reference = await _hh.SubmitAsync(form);
        var unknown = await UndeliveredAsync(reference, "Unknown");
        var failed = await UndeliveredAsync(reference, "Failed");

        var html = await PageAsync("/staff/emails");

        var rows = TableRow().Matches(html).Select(m => m.Value).Where(r => r.Contains(reference, StringComparison.Ordinal)).ToList();
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Contains("<td>Referral accepted</td><td>The referrer</td>", r, StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Contains("<td>May or may not have gone</td>", StringComparison.Ordinal) && r.Contains("I checked: it did not arrive", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Contains("<td>Refused by the email provider</td>", StringComparison.Ordinal) && !r.Contains("did not arrive</label>", StringComparison.Ordinal));
        Assert.Contains("<a href=\"/staff/emails\" aria-current=\"page\">Emails not sent</a>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("sam.worker@example.org", html, StringComparison.Ordinal);
        Assert.DoesNotContain(form["youngPerson"]!["firstName"]!.GetValue<string>(), html, StringComparison.Ordinal);

        // Without the box ticked: the error sits beside it, the summary links to it, and nothing is sent.
        var unknownForm = RetryFormOf(html, unknown);
        var refused = await PostFormAsync(unknownForm, "/staff/emails/retry", []);
        var refusedHtml = await refused.Content.ReadAsStringAsync();
        var boxId = "did-not-arrive-" + unknown.Replace('|', '-');
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("<title>Error: Emails that did not go", refusedHtml, StringComparison.Ordinal);
        Assert.Matches("<div class=\"error-summary\"[^>]* tabindex=\"-1\" autofocus>", refusedHtml);
        Assert.Contains($"<a href=\"#{boxId}\">Say that you checked and the email did not arrive, or leave it as it is.</a>", refusedHtml, StringComparison.Ordinal);
        Assert.Contains($"id=\"{boxId}-error\"><span class=\"visually-hidden\">Error: </span>Say that you checked", refusedHtml, StringComparison.Ordinal);
        Assert.Contains($"id=\"{boxId}\" name=\"didNotArrive\" value=\"yes\" aria-describedby=\"{boxId}-error\" aria-invalid=\"true\">", refusedHtml, StringComparison.Ordinal);
        Assert.False(InMailbox(unknown));

        var resent = await PostFormAsync(unknownForm, "/staff/emails/retry", new() { ["didNotArrive"] = "yes" });
        Assert.Equal(HttpStatusCode.Redirect, resent.StatusCode);
        Assert.Equal("/staff/emails?done=sent", resent.Headers.Location!.OriginalString);
        Assert.True(InMailbox(unknown));
        var after = await PageAsync(resent.Headers.Location.OriginalString);
        Assert.Contains("The email was sent again.", after, StringComparison.Ordinal);
        Assert.DoesNotContain(unknown[(unknown.LastIndexOf('|') + 1)..], after, StringComparison.Ordinal);

        // A refused email is sent again at once.
        var failedForm = RetryFormOf(after, failed);
        var retried = await PostFormAsync(failedForm, "/staff/emails/retry", []);
        Assert.Equal(HttpStatusCode.Redirect, retried.StatusCode);
        Assert.True(InMailbox(failed));
    }

    [Fact]
    public async Task TheEmailsPageIsRefusedToAPractitionerAndItsRetrySendsNothing()
    {
        var reference = await _hh.SubmitAsync(_hh.Form());
        var failed = await UndeliveredAsync(reference, "Failed");
        var html = await PageAsync("/staff/emails");
        var failedForm = RetryFormOf(html, failed);

        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync("/staff/emails", StaffActor.Selby)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostFormAsync(failedForm, "/staff/emails/retry", [], StaffActor.Selby)).StatusCode);
        Assert.False(InMailbox(failed));

        // An email not on the list (or no longer there) is answered plainly, and nothing is sent.
        var unknown = await PostFormAsync(failedForm.Replace(failed[(failed.LastIndexOf('|') + 1)..], "0", StringComparison.Ordinal), "/staff/emails/retry", []);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("That email is not on the list any more", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(InMailbox(failed));
    }

    [Fact]
    public async Task APractitionersCaseloadIsShownAgainstCapacityAndTheirDetailsAreChangedByTheFormUnderTheApisRules()
    {
        const string id = "practitioner-craven-pages";
        await _hh.PutPractitionerAsync(id, "Craven and Harrogate", capacity: 2);

        var list = await PageAsync("/staff/practitioners");
        var row = Assert.Single(TableRow().Matches(list), m => m.Value.Contains(id, StringComparison.Ordinal)).Value;
        Assert.Contains($"<a href=\"/staff/practitioners/{id}\">Practitioner {id}</a>", row, StringComparison.Ordinal);
        Assert.Contains("<td>Craven and Harrogate</td><td>0 of 2</td><td>2</td><td>Yes</td>", row, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/staff/practitioners\" aria-current=\"page\">Practitioners</a>", list, StringComparison.Ordinal);

        var editPath = $"/staff/practitioners/{id}";
        var edit = await PageAsync(editPath);
        Assert.Contains($"id=\"display-name\" name=\"displayName\" value=\"Practitioner {id}\"", edit, StringComparison.Ordinal);
        Assert.Contains("name=\"regions\" value=\"Craven and Harrogate\" checked>", edit, StringComparison.Ordinal);
        Assert.Contains("name=\"capacity\" value=\"2\"", edit, StringComparison.Ordinal);

        // Every field wrong: each error beside its field, the summary takes focus, the typed values come back, nothing is saved.
        var refused = await PostFormAsync(edit, editPath, new() { ["displayName"] = " ", ["capacity"] = "lots", ["active"] = "yes" });
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains($"<title>Error: Practitioner {id}", html, StringComparison.Ordinal);
        Assert.Matches("<div class=\"error-summary\"[^>]* tabindex=\"-1\" autofocus>", html);
        Assert.Contains("<a href=\"#display-name\">Give a display name of 1 to 100 characters.</a>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#region-0\">Give at least one region.</a>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#capacity\">Capacity is a whole number from 0 to 100.</a>", html, StringComparison.Ordinal);
        Assert.Contains("id=\"capacity-error\"><span class=\"visually-hidden\">Error: </span>Capacity is a whole number", html, StringComparison.Ordinal);
        Assert.Contains("name=\"capacity\" value=\"lots\" aria-describedby=\"capacity-hint capacity-error\" aria-invalid=\"true\">", html, StringComparison.Ordinal);
        Assert.DoesNotContain("value=\"Craven and Harrogate\" checked>", html, StringComparison.Ordinal);
        var unchanged = Assert.Single(await _hh.GetOkAsync<List<HandInHand.Infrastructure.Workflow.Practitioner>>("/api/staff/practitioners"), p => p.Id == id);
        Assert.Equal(2, unchanged.Capacity);

        // An area not on the list is refused too, with the other values kept.
        var strange = await PostFormAsync(edit, editPath, new() { ["displayName"] = "Robin Ash", ["regions"] = "Atlantis", ["capacity"] = "3" });
        var strangeHtml = await strange.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, strange.StatusCode);
        Assert.Contains("<a href=\"#region-0\">Choose the areas from the list.</a>", strangeHtml, StringComparison.Ordinal);
        Assert.Contains("value=\"Robin Ash\"", strangeHtml, StringComparison.Ordinal);

        var saved = await PostFormAsync(edit, editPath, new() { ["displayName"] = "Robin Ash", ["regions"] = "Craven and Harrogate", ["capacity"] = "4" });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal("/staff/practitioners?saved=yes", saved.Headers.Location!.OriginalString);
        var after = await PageAsync(saved.Headers.Location.OriginalString);
        Assert.Contains("The practitioner's details were saved.", after, StringComparison.Ordinal);
        var changed = Assert.Single(await _hh.GetOkAsync<List<HandInHand.Infrastructure.Workflow.Practitioner>>("/api/staff/practitioners"), p => p.Id == id);
        Assert.Equal(("Robin Ash", 4, false), (changed.DisplayName, changed.Capacity, changed.Active));
        Assert.Contains("<td>Craven and Harrogate</td><td>0 of 4</td><td>4</td><td>No</td>", Assert.Single(TableRow().Matches(after), m => m.Value.Contains(id, StringComparison.Ordinal)).Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThePractitionerPagesAreRefusedToAPractitionerAndChangeNothing()
    {
        var edit = await PageAsync($"/staff/practitioners/{LifecycleDriver.SelbyPractitioner}");

        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync("/staff/practitioners", StaffActor.Selby)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync($"/staff/practitioners/{LifecycleDriver.SelbyPractitioner}", StaffActor.Selby)).StatusCode);
        var posted = await PostFormAsync(edit, $"/staff/practitioners/{LifecycleDriver.SelbyPractitioner}", new() { ["capacity"] = "100" }, StaffActor.Selby);
        Assert.Equal(HttpStatusCode.Forbidden, posted.StatusCode);
        Assert.NotEqual(100, Assert.Single(await _hh.GetOkAsync<List<HandInHand.Infrastructure.Workflow.Practitioner>>("/api/staff/practitioners"), p => p.Id == LifecycleDriver.SelbyPractitioner).Capacity);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("/staff/practitioners/practitioner-nobody", StaffActor.Manager)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("/staff/practitioners/practitioner%23selby", StaffActor.Manager)).StatusCode);
    }

    [Fact]
    public async Task TheManagerAddsAPractitionerOnTheNewPractitionerFormAndTheListSaysSo()
    {
        const string id = "3f2b8c1e-practitioner-added";
        var list = await PageAsync("/staff/practitioners");
        Assert.Contains("<a href=\"/staff/new-practitioner\" id=\"add-practitioner\">Add a practitioner</a>", list, StringComparison.Ordinal);

        var form = await PageAsync("/staff/new-practitioner");
        Assert.Contains("<title>Add a practitioner ", form, StringComparison.Ordinal);
        Assert.Contains("<input type=\"text\" id=\"staff-id\" name=\"id\" value=\"\"", form, StringComparison.Ordinal);
        Assert.Contains("name=\"regions\" value=\"Craven and Harrogate\">", form, StringComparison.Ordinal);
        Assert.Contains("id=\"active\" name=\"active\" value=\"yes\" checked>", form, StringComparison.Ordinal);

        var added = await PostFormAsync(form, "/staff/new-practitioner", new() { ["id"] = $" {id} ", ["displayName"] = " Sam Okafor ", ["regions"] = "Craven and Harrogate", ["capacity"] = "3", ["active"] = "yes" });

        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        Assert.Equal("/staff/practitioners?saved=added", added.Headers.Location!.OriginalString);
        var after = await PageAsync(added.Headers.Location.OriginalString);
        Assert.Contains("<div class=\"notice\" role=\"status\" id=\"notice\"><p>The practitioner was added.", after, StringComparison.Ordinal);
        var row = Assert.Single(TableRow().Matches(after), m => m.Value.Contains(id, StringComparison.Ordinal)).Value;
        Assert.Contains($"<a href=\"/staff/practitioners/{id}\">Sam Okafor</a>", row, StringComparison.Ordinal);
        var stored = Assert.Single(await _hh.GetOkAsync<List<HandInHand.Infrastructure.Workflow.Practitioner>>("/api/staff/practitioners"), p => p.Id == id);
        Assert.Equal(("Sam Okafor", 3, true), (stored.DisplayName, stored.Capacity, stored.Active));
        Assert.Equal(["Craven and Harrogate"], stored.Regions);
    }

    [Fact]
    public async Task TheNewPractitionerFormSendsBackEachErrorBesideItsFieldWithWhatWasTypedAndAddsNothing()
    {
        var form = await PageAsync("/staff/new-practitioner");

        var refused = await PostFormAsync(form, "/staff/new-practitioner", new() { ["id"] = "sam okafor", ["displayName"] = " ", ["capacity"] = "lots", ["active"] = "yes" });

        var html = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("<title>Error: Add a practitioner", html, StringComparison.Ordinal);
        Assert.Matches("<div class=\"error-summary\"[^>]* tabindex=\"-1\" autofocus>", html);
        Assert.Matches("<li><a href=\"#staff-id\">A practitioner id is 1 to 64 letters, digits, [^<]*</a></li>\n<li><a href=\"#display-name\">", html);
        Assert.Contains("<a href=\"#region-0\">Give at least one region.</a>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#capacity\">Capacity is a whole number from 0 to 100.</a>", html, StringComparison.Ordinal);
        Assert.Contains("id=\"staff-id-error\"><span class=\"visually-hidden\">Error: </span>A practitioner id is", html, StringComparison.Ordinal);
        Assert.Contains("name=\"id\" value=\"sam okafor\" autocomplete=\"off\" spellcheck=\"false\" aria-describedby=\"staff-id-hint staff-id-error\" aria-invalid=\"true\">", html, StringComparison.Ordinal);
        Assert.Contains("name=\"capacity\" value=\"lots\" aria-describedby=\"capacity-hint capacity-error\" aria-invalid=\"true\">", html, StringComparison.Ordinal);

        // A good staff id with an area not on the list: refused, the typed values back, nobody added.
        const string id = "practitioner-not-added";
        var strange = await PostFormAsync(form, "/staff/new-practitioner", new() { ["id"] = id, ["displayName"] = "Robin Ash", ["regions"] = "Atlantis", ["capacity"] = "3" });
        var strangeHtml = await strange.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, strange.StatusCode);
        Assert.Contains("<a href=\"#region-0\">Choose the areas from the list.</a>", strangeHtml, StringComparison.Ordinal);
        Assert.Contains($"name=\"id\" value=\"{id}\"", strangeHtml, StringComparison.Ordinal);
        Assert.Contains("value=\"Robin Ash\"", strangeHtml, StringComparison.Ordinal);
        Assert.Contains("id=\"active\" name=\"active\" value=\"yes\">", strangeHtml, StringComparison.Ordinal);
        Assert.DoesNotContain(await _hh.GetOkAsync<List<HandInHand.Infrastructure.Workflow.Practitioner>>("/api/staff/practitioners"), p => p.Id == id);
    }

    [Fact]
    public async Task AStaffIdAlreadyTakenIsAFieldErrorOnTheNewPractitionerFormAndChangesNothing()
    {
        const string id = "practitioner-taken";
        await _hh.PutPractitionerAsync(id, "Craven and Harrogate", capacity: 2);
        var form = await PageAsync("/staff/new-practitioner");

        var refused = await PostFormAsync(form, "/staff/new-practitioner", new() { ["id"] = id, ["displayName"] = "Someone Else", ["regions"] = "Craven and Harrogate", ["capacity"] = "9" });

        var html = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("<a href=\"#staff-id\">There is already a practitioner with this staff id. Open them from the list of practitioners to change their details.</a>", html, StringComparison.Ordinal);
        Assert.Contains("id=\"staff-id-error\"><span class=\"visually-hidden\">Error: </span>There is already a practitioner with this staff id.", html, StringComparison.Ordinal);
        Assert.Contains("value=\"Someone Else\"", html, StringComparison.Ordinal);
        Assert.Contains("name=\"capacity\" value=\"9\"", html, StringComparison.Ordinal);
        var unchanged = Assert.Single(await _hh.GetOkAsync<List<HandInHand.Infrastructure.Workflow.Practitioner>>("/api/staff/practitioners"), p => p.Id == id);
        Assert.Equal(($"Practitioner {id}", 2), (unchanged.DisplayName, unchanged.Capacity));

        // Two managers adding the same staff id at once: the directory adds, never replaces, so the second is refused.
        var directory = _hh.Service<HandInHand.Infrastructure.Workflow.PractitionerDirectory>();
        Assert.False(await directory.AddAsync(new(id, "Someone Else", ["Craven and Harrogate"], 9)));
        Assert.Equal(2, (await directory.GetAsync(id))!.Capacity);
    }

    [Fact]
    public async Task TheNewPractitionerFormIsRefusedToAPractitionerAndThePanelAndAddsNothing()
    {
        const string id = "practitioner-by-a-practitioner";
        var form = await PageAsync("/staff/new-practitioner");

        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync("/staff/new-practitioner", StaffActor.Selby)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync("/staff/new-practitioner", StaffActor.Panel)).StatusCode);
        var posted = await PostFormAsync(form, "/staff/new-practitioner", new() { ["id"] = id, ["displayName"] = "Self Made", ["regions"] = "Selby", ["capacity"] = "100" }, StaffActor.Selby);
        Assert.Equal(HttpStatusCode.Forbidden, posted.StatusCode);
        Assert.DoesNotContain(await _hh.GetOkAsync<List<HandInHand.Infrastructure.Workflow.Practitioner>>("/api/staff/practitioners"), p => p.Id == id);
    }

    [Fact]
    public async Task TheWaitingListShowsTheReferrerChecksAndWhenTheNextIsDue()
    {
        var reference = await WaitingAsync();

        var html = await PageAsync("/staff/waiting-list");

        Assert.Contains("<th scope=\"col\">Still needed?</th><th scope=\"col\">Next check</th>", html, StringComparison.Ordinal);
        var row = Assert.Single(TableRow().Matches(html), m => m.Value.Contains(reference, StringComparison.Ordinal)).Value;
        Assert.Matches("<td>Not asked yet</td><td>\\d{1,2} [A-Z][a-z]+ 20\\d\\d at \\d\\d:\\d\\d</td></tr>", row);

        // The referrer confirms on the status page: the manager sees it, with the date.
        await _hh.ReferrerAsync(reference, "still-needed");
        var after = await PageAsync("/staff/waiting-list");

        var confirmed = Assert.Single(TableRow().Matches(after), m => m.Value.Contains(reference, StringComparison.Ordinal)).Value;
        Assert.Matches("<td>Yes: the referrer confirmed on \\d{1,2} [A-Z][a-z]+ 20\\d\\d at \\d\\d:\\d\\d</td>", confirmed);
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]+)\" value=\"(?<value>[^\"]*)\">")]
    private static partial Regex HiddenInput();

    [GeneratedRegex("<tr>.*?</tr>", RegexOptions.Singleline)]
    private static partial Regex TableRow();
}

/// <summary>
/// The retention review pages on a host whose retention period is zero, so a closed case is due
/// for review at once: the list shows it with its decisions, and the erasure, confirmed on its
/// own page, erases it.
/// </summary>
public sealed partial class RetentionReviewPagesTests(HandInHand.Host.Tests.Privacy.RetentionTests.PromptRetentionFactory factory)
    : IClassFixture<HandInHand.Host.Tests.Privacy.RetentionTests.PromptRetentionFactory>
{
    private readonly LifecycleDriver _hh = new(factory);

    private readonly HttpClient _browser = factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });

    private async Task<string> PageAsync(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Actor-Id", StaffActor.Manager.Id);
        request.Headers.Add("X-Actor-Role", StaffActor.Manager.Role);
        var response = await _browser.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task ARecordDueForReviewIsListedWithItsDecisionsAndTheConfirmedErasureTakesItOff()
    {
        var reference = await _hh.CloseAfterSupportAsync();
        string html = string.Empty;
        await LifecycleDriver.EventuallyAsync(async () => (html = await PageAsync("/staff/retention")).Contains(reference, StringComparison.Ordinal), $"{reference} on the retention page");

        var row = Assert.Single(TableRow().Matches(html), m => m.Value.Contains(reference, StringComparison.Ordinal)).Value;
        Assert.Contains($"<a href=\"/staff/cases/{reference}\">{reference}</a>", row, StringComparison.Ordinal);
        Assert.Contains("<td>Closed</td>", row, StringComparison.Ordinal);
        Assert.Contains("<td>No</td>", row, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"/staff/retention/{reference}/erase\">Erase<span class=\"visually-hidden\"> for {reference}</span></a>", row, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"/staff/retention/{reference}/legal-hold\">Place a legal hold", row, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/staff/retention\" aria-current=\"page\">Retention reviews</a>", html, StringComparison.Ordinal);

        var erasePath = $"/staff/retention/{reference}/erase";
        var confirm = await PageAsync(erasePath);
        var at = confirm.IndexOf($"<form method=\"post\" action=\"{erasePath}\"", StringComparison.Ordinal);
        var ours = confirm[at..confirm.IndexOf("</form>", at, StringComparison.Ordinal)];
        var form = HiddenInput().Matches(ours).ToDictionary(m => m.Groups["name"].Value, m => WebUtility.HtmlDecode(m.Groups["value"].Value));
        var post = new HttpRequestMessage(HttpMethod.Post, erasePath) { Content = new FormUrlEncodedContent(form) };
        post.Headers.Add("X-Actor-Id", StaffActor.Manager.Id);
        post.Headers.Add("X-Actor-Role", StaffActor.Manager.Role);

        var response = await _browser.SendAsync(post);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/staff/retention?done=erased", response.Headers.Location!.OriginalString);
        var after = await PageAsync(response.Headers.Location.OriginalString);
        Assert.Contains("The personal data was erased.", after, StringComparison.Ordinal);
        Assert.DoesNotContain(reference, after, StringComparison.Ordinal);
        Assert.Contains(await _hh.TimelineAsync(reference), s => s.Type == "Erased");
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]+)\" value=\"(?<value>[^\"]*)\">")]
    private static partial Regex HiddenInput();

    [GeneratedRegex("<tr>.*?</tr>", RegexOptions.Singleline)]
    private static partial Regex TableRow();
}
