using System.Net;
using System.Text.RegularExpressions;
using HandInHand.Host.Tests.Lifecycle;
using HandInHand.Host.Tests.Referrals;
using HandInHand.Host.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;

namespace HandInHand.Host.Tests.Staff;

/// <summary>
/// The Trusted Relationships panel's pages over plain HTTP, as a browser without scripts gets them:
/// its queue, and on a case its decision and the allocation to a strand, under the API's own rules.
/// </summary>
public sealed partial class PanelPagesTests(HandInHandFactory factory) : IClassFixture<HandInHandFactory>
{
    private readonly LifecycleDriver _hh = new(factory);

    private readonly HttpClient _browser = factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });

    private Task<HttpResponseMessage> GetAsync(string path, StaffActor actor) => _browser.SendAsync(As(new HttpRequestMessage(HttpMethod.Get, path), actor));

    private static HttpRequestMessage As(HttpRequestMessage request, StaffActor actor)
    {
        request.Headers.Add("X-Actor-Id", actor.Id);
        request.Headers.Add("X-Actor-Role", actor.Role);
        return request;
    }

    private Task<string> TrustedRelationshipsReferralAsync() => _hh.SubmitAsync(_hh.Form().AsTrustedRelationships());

    /// <summary>Opens the case page as <paramref name="actor"/> and posts the form that posts to <paramref name="action"/>, <paramref name="fields"/> over its own.</summary>
    private async Task<HttpResponseMessage> PostAsync(string reference, string action, StaffActor actor, Dictionary<string, string> fields)
    {
        var html = await (await GetAsync($"/staff/cases/{reference}", actor)).Content.ReadAsStringAsync();
        var path = $"/staff/cases/{reference}/{action}";
        var at = html.IndexOf($"<form method=\"post\" action=\"{path}\"", StringComparison.Ordinal);

        // Without that form on the page (a case at another step), the header's token stands in.
        var ours = at < 0 ? html : html[at..html.IndexOf("</form>", at, StringComparison.Ordinal)];
        var form = HiddenInput().Matches(ours).GroupBy(m => m.Groups["name"].Value).ToDictionary(g => g.Key, g => WebUtility.HtmlDecode(g.First().Groups["value"].Value));
        foreach (var (name, value) in fields)
        {
            form[name] = value;
        }

        return await _browser.SendAsync(As(new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) }, actor));
    }

    [Fact]
    public async Task TheStaffHomeSendsThePanelToItsQueueAndTheNavigationLinksIt()
    {
        var home = await GetAsync("/staff", StaffActor.Panel);
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.Equal("/staff/panel", home.Headers.Location!.OriginalString);

        var queue = await (await GetAsync("/staff/panel", StaffActor.Panel)).Content.ReadAsStringAsync();
        Assert.Contains("<a href=\"/staff/panel\" aria-current=\"page\">Panel queue</a>", queue, StringComparison.Ordinal);
        Assert.Contains("Signed in as panel-1, panel member.", queue, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThePanelQueueListsTrustedRelationshipsReferralsAwaitingThePanelAndNoHandInHandReferral()
    {
        var awaiting = await TrustedRelationshipsReferralAsync();
        var accepted = await TrustedRelationshipsReferralAsync();
        await _hh.CommandAsync(accepted, "accept", StaffActor.Panel);
        var handInHand = await _hh.SubmitAsync(_hh.Form());

        var response = await GetAsync("/staff/panel", StaffActor.Panel);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var decisions = html[html.IndexOf("id=\"panel-decisions\"", StringComparison.Ordinal)..html.IndexOf("id=\"panel-allocations\"", StringComparison.Ordinal)];
        var allocations = html[html.IndexOf("id=\"panel-allocations\"", StringComparison.Ordinal)..];
        Assert.Contains($"<a href=\"/staff/cases/{awaiting}\">{awaiting}</a>", decisions, StringComparison.Ordinal);
        Assert.Contains("Waiting for triage", decisions, StringComparison.Ordinal);
        Assert.DoesNotContain(accepted, decisions, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"/staff/cases/{accepted}\">{accepted}</a>", allocations, StringComparison.Ordinal);
        Assert.Contains("Accepted, waiting to be allocated", allocations, StringComparison.Ordinal);
        Assert.DoesNotContain(handInHand, html, StringComparison.Ordinal);
        Assert.DoesNotContain("AwaitingTriage", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);

        // The queue is the deciders' view: a practitioner may not open it.
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync("/staff/panel", StaffActor.Selby)).StatusCode);
    }

    [Fact]
    public async Task ThePanelAcceptsOnTheCasePageAndThenAllocatesToAPractitionerAndAStrand()
    {
        var reference = await TrustedRelationshipsReferralAsync();
        var page = await (await GetAsync($"/staff/cases/{reference}", StaffActor.Panel)).Content.ReadAsStringAsync();
        Assert.Contains("Panel decision</h2>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Allocate to a strand</h2>", page, StringComparison.Ordinal);

        var accepted = await PostAsync(reference, "panel-decision", StaffActor.Panel, new() { ["decision"] = "accept" });
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Equal($"/staff/cases/{reference}?recorded=panel-decision", accepted.Headers.Location!.OriginalString);
        var after = await (await GetAsync(accepted.Headers.Location.OriginalString, StaffActor.Panel)).Content.ReadAsStringAsync();
        Assert.Contains("The panel&#x27;s decision is recorded.", after, StringComparison.Ordinal);
        Assert.Contains("<dd id=\"stage\">Accepted, waiting to be allocated</dd>", after, StringComparison.Ordinal);
        Assert.Contains("Allocate to a strand</h2>", after, StringComparison.Ordinal);
        Assert.Contains("Practitioner, Selby", after, StringComparison.Ordinal);

        var allocated = await PostAsync(reference, "strand-allocation", StaffActor.Panel, new() { ["practitionerId"] = LifecycleDriver.SelbyPractitioner, ["strand"] = "subject-to" });
        Assert.Equal(HttpStatusCode.Redirect, allocated.StatusCode);
        var done = await (await GetAsync(allocated.Headers.Location!.OriginalString, StaffActor.Panel)).Content.ReadAsStringAsync();
        Assert.Contains("Allocated to a strand.", done, StringComparison.Ordinal);
        Assert.Contains("the subject-to strand (a family network coordinator)", done, StringComparison.Ordinal);
        var view = await _hh.ViewAsync(reference);
        Assert.Equal("Allocated", view.Stage);
        Assert.Equal("SubjectTo", view.Strand);
        Assert.Equal(LifecycleDriver.SelbyPractitioner, view.PractitionerId);
        Assert.Contains(await _hh.TimelineAsync(reference), s => s.Type == "Accepted" && s.ActorRole == "Panel");
    }

    [Fact]
    public async Task ADeclineWithoutReasonOrCategoryKeepsTheValuesShowsEachErrorBesideItsFieldAndChangesNothing()
    {
        var reference = await TrustedRelationshipsReferralAsync();

        var response = await PostAsync(reference, "panel-decision", StaffActor.Panel, new() { ["decision"] = "decline", ["reason"] = string.Empty, ["category"] = "no-longer-needed" });
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("<title>Error: Case ", html, StringComparison.Ordinal);
        Assert.Matches("<div class=\"error-summary\"[^>]* tabindex=\"-1\" autofocus>", html);
        Assert.Contains("<a href=\"#reason\">Give the reason for declining", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#category\">Choose why the referral is declined", html, StringComparison.Ordinal);
        Assert.Contains("id=\"reason-error\"><span class=\"visually-hidden\">Error: </span>Give the reason for declining", html, StringComparison.Ordinal);
        Assert.Matches("id=\"decision-decline\" name=\"decision\" value=\"decline\" checked", html);
        Assert.DoesNotContain("Record first contact</h2>", html, StringComparison.Ordinal);
        Assert.Equal("AwaitingTriage", (await _hh.ViewAsync(reference)).Stage);

        var none = await PostAsync(reference, "panel-decision", StaffActor.Panel, new());
        Assert.Contains("<a href=\"#decision\">Choose the panel&#x27;s decision.</a>", await none.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var declined = await PostAsync(reference, "panel-decision", StaffActor.Panel, new() { ["decision"] = "decline", ["reason"] = "Not subject to exploitation on the CERA", ["category"] = "criteria" });
        Assert.Equal(HttpStatusCode.Redirect, declined.StatusCode);
        Assert.Equal("Declined", (await _hh.ViewAsync(reference)).Stage);
    }

    [Fact]
    public async Task ThePanelCanAskTheReferrerForMoreInformationAndThenRecordItsArrival()
    {
        var reference = await TrustedRelationshipsReferralAsync();

        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(reference, "panel-decision", StaffActor.Panel, new() { ["decision"] = "request-information" })).StatusCode);
        Assert.Equal("AwaitingInformation", (await _hh.ViewAsync(reference)).Stage);
        var page = await (await GetAsync($"/staff/cases/{reference}", StaffActor.Panel)).Content.ReadAsStringAsync();
        Assert.Contains("value=\"information-received\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("value=\"accept\"", page, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(reference, "panel-decision", StaffActor.Panel, new() { ["decision"] = "information-received" })).StatusCode);
        Assert.Equal("AwaitingTriage", (await _hh.ViewAsync(reference)).Stage);
    }

    [Fact]
    public async Task AnAllocationWithoutAStrandOrPractitionerIsRefusedBesideItsFieldsAndChangesNothing()
    {
        var reference = await TrustedRelationshipsReferralAsync();
        await _hh.CommandAsync(reference, "accept", StaffActor.Panel);

        var response = await PostAsync(reference, "strand-allocation", StaffActor.Panel, new() { ["practitionerId"] = string.Empty, ["strand"] = string.Empty });
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("<a href=\"#practitionerId\">Choose the practitioner", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#strand\">Choose the strand", html, StringComparison.Ordinal);
        Assert.Equal("AwaitingAllocation", (await _hh.ViewAsync(reference)).Stage);
    }

    [Fact]
    public async Task ADecisionThatNoLongerFitsSaysSoInPlainWordsAndAFormWithoutItsTokenIsRefused()
    {
        var reference = await TrustedRelationshipsReferralAsync();
        await _hh.CommandAsync(reference, "accept", StaffActor.Panel);

        var late = await PostAsync(reference, "panel-decision", StaffActor.Panel, new() { ["decision"] = "request-information" });
        var html = await late.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Contains("The panel&#x27;s decision cannot be recorded now: the case is at the step &quot;Accepted, waiting to be allocated&quot;.", html, StringComparison.Ordinal);

        var request = As(new HttpRequestMessage(HttpMethod.Post, $"/staff/cases/{reference}/strand-allocation")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["practitionerId"] = LifecycleDriver.SelbyPractitioner, ["strand"] = "at-risk" }),
        }, StaffActor.Panel);
        var forged = await _browser.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Contains("The page had expired", await forged.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("AwaitingAllocation", (await _hh.ViewAsync(reference)).Stage);
    }

    [Fact]
    public async Task ThePanelsFormsAreNotFoundOnAHandInHandReferralAndTheManagerHasNoPanelForms()
    {
        var handInHand = await _hh.SubmitAsync(_hh.Form());
        var trusted = await TrustedRelationshipsReferralAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(handInHand, "panel-decision", StaffActor.Panel, new() { ["decision"] = "accept" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(handInHand, "panel-decision", StaffActor.Manager, new() { ["decision"] = "accept" })).StatusCode);
        Assert.Equal("AwaitingTriage", (await _hh.ViewAsync(handInHand)).Stage);

        var managerView = await (await GetAsync($"/staff/cases/{trusted}", StaffActor.Manager)).Content.ReadAsStringAsync();
        Assert.DoesNotContain("Panel decision</h2>", managerView, StringComparison.Ordinal);
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]+)\" value=\"(?<value>[^\"]*)\">")]
    private static partial Regex HiddenInput();
}
