using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using HandInHand.Host.Tests.Lifecycle;
using HandInHand.Host.Tests.Support;
using HandInHand.Infrastructure.Audit;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace HandInHand.Host.Tests.Staff;

/// <summary>
/// The practitioner's pages over plain HTTP, as a browser without scripts gets them: the staff
/// home, "My cases", the case page and its forms (first contact, review, contact channel, survey
/// opt-out, closure), each under the API's own rules.
/// </summary>
public sealed partial class PractitionerPagesTests(HandInHandFactory factory) : IClassFixture<HandInHandFactory>
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

    /// <summary>A referral allocated to the Selby practitioner, its young person named so the test can look for the name.</summary>
    private async Task<(string Reference, string FirstName)> AllocatedCaseAsync()
    {
        await RoomForMoreCasesAsync();
        var form = _hh.Form();
        var firstName = form["youngPerson"]!["firstName"]!.GetValue<string>();
        var reference = await _hh.SubmitAsync(form);
        Assert.Equal("Allocated", (await _hh.AcceptAsync(reference)).Stage);
        return (reference, firstName);
    }

    /// <summary>Opens the case page as <paramref name="actor"/> and posts its first-contact form with <paramref name="fields"/> over the form's own.</summary>
    private Task<HttpResponseMessage> PostFirstContactAsync(string reference, StaffActor actor, Dictionary<string, string> fields) =>
        PostFormAsync(reference, actor, "first-contact", fields);

    /// <summary>
    /// Opens the case page as <paramref name="actor"/> and posts its form for <paramref name="action"/>
    /// with <paramref name="fields"/> over the form's own hidden fields; where the page has no such form
    /// (a case at another step), with the sign-out form's token, as a page left open would send it.
    /// </summary>
    private async Task<HttpResponseMessage> PostFormAsync(string reference, StaffActor actor, string action, Dictionary<string, string> fields)
    {
        var html = await (await GetAsync($"/staff/cases/{reference}", actor)).Content.ReadAsStringAsync();
        var at = html.IndexOf($"<form method=\"post\" action=\"/staff/cases/{reference}/{action}\"", StringComparison.Ordinal);
        var ours = at < 0 ? html : html[at..html.IndexOf("</form>", at, StringComparison.Ordinal)];
        var form = HiddenInput().Matches(ours).GroupBy(m => m.Groups["name"].Value).ToDictionary(g => g.Key, g => WebUtility.HtmlDecode(g.First().Groups["value"].Value));
        foreach (var (name, value) in fields)
        {
            form[name] = value;
        }

        var request = new HttpRequestMessage(HttpMethod.Post, $"/staff/cases/{reference}/{action}") { Content = new FormUrlEncodedContent(form) };
        return await _browser.SendAsync(As(request, actor));
    }

    /// <summary>The tests here give the Selby practitioner more cases than the seeded capacity holds: raise it, so each new case is allocated rather than waiting.</summary>
    private Task RoomForMoreCasesAsync() => _hh.PutPractitionerAsync(LifecycleDriver.SelbyPractitioner, LifecycleDriver.Selby, 100);

    /// <summary>A referral allocated to the Selby practitioner, with first contact made and consent given.</summary>
    private async Task<string> ActiveCaseAsync()
    {
        await RoomForMoreCasesAsync();
        var reference = await _hh.SubmitAsync(_hh.Form());
        Assert.Equal("Active", (await _hh.ActivateAsync(reference)).Stage);
        return reference;
    }

    /// <summary>A My Wheel form section: each default domain under <paramref name="prefix"/> with <paramref name="score"/>.</summary>
    private static Dictionary<string, string> Wheel(string prefix, string score) =>
        HandInHand.Domain.Lifecycle.LifecycleSettings.DefaultMyWheelDomains.ToDictionary(d => prefix + d, _ => score);

    private static Dictionary<string, string> With(Dictionary<string, string> fields, params (string Name, string Value)[] more)
    {
        foreach (var (name, value) in more)
        {
            fields[name] = value;
        }

        return fields;
    }

    private static Dictionary<string, string> ReviewFields() => With(Wheel("myWheel.", "6"),
        ("trafficLights.0.indicator", "missing episodes"), ("trafficLights.0.rating", "amber"), ("review.riskLevel", "medium"));

    private static Dictionary<string, string> CloseFields() => With(Wheel("finalMyWheel.", "8"), ("close.reason", "Goals met"), ("close.riskLevel", "standard"));

    /// <summary>The fields of a first contact made at <paramref name="local"/> (UK time).</summary>
    private static Dictionary<string, string> At(DateTime local, string consent = "yes") => new()
    {
        ["consent"] = consent,
        ["contactedAt.day"] = local.Day.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["contactedAt.month"] = local.Month.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["contactedAt.year"] = local.Year.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["contactedAt.time"] = local.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture),
    };

    private DateTime LocalNow => TimeZoneInfo.ConvertTime(_hh.Now, TimeZoneInfo.FindSystemTimeZoneById("Europe/London")).DateTime;

    [Fact]
    public async Task TheStaffHomeSendsAPractitionerToTheirCasesAndTheManagerToTheDashboard()
    {
        var practitioner = await GetAsync("/staff", StaffActor.Selby);
        var manager = await GetAsync("/staff", StaffActor.Manager);

        Assert.Equal(HttpStatusCode.Redirect, practitioner.StatusCode);
        Assert.Equal("/staff/cases", practitioner.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, manager.StatusCode);
        Assert.Equal("/staff/dashboard", manager.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task MyCasesListsTheCasesAllocatedToThePractitionerWithTheirStageDeadlineAndLinkAndNoOneElses()
    {
        var (mine, _) = await AllocatedCaseAsync();
        var york = await _hh.SubmitAsync(_hh.Form(region: "City of York"));
        Assert.Equal("practitioner-york", (await _hh.AcceptAsync(york)).PractitionerId);

        var response = await GetAsync("/staff/cases", StaffActor.Selby);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var row = Assert.Single(TableRow().Matches(html), m => m.Value.Contains(mine, StringComparison.Ordinal)).Value;
        Assert.Contains($"<a href=\"/staff/cases/{mine}\">{mine}</a>", row, StringComparison.Ordinal);
        Assert.Contains("Allocated: first contact not yet recorded", row, StringComparison.Ordinal);
        Assert.Contains("First contact due: ", row, StringComparison.Ordinal);
        Assert.DoesNotContain(york, html, StringComparison.Ordinal);
        Assert.DoesNotContain("Allocated<", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheCasePageShowsWhatFirstContactNeedsInPlainWordsWithTheStaffShell()
    {
        var (reference, firstName) = await AllocatedCaseAsync();

        var response = await GetAsync($"/staff/cases/{reference}", StaffActor.Selby);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(firstName, html, StringComparison.Ordinal);
        Assert.Matches("id=\"young-person-age\">15 years old \\(born ", html);
        Assert.Contains("Through her social worker on weekdays", html, StringComparison.Ordinal);
        Assert.Contains("Child sexual exploitation", html, StringComparison.Ordinal);
        Assert.Contains("<dd id=\"risk\">High</dd>", html, StringComparison.Ordinal);
        Assert.Contains("<dd id=\"additional-needs\">None given</dd>", html, StringComparison.Ordinal);
        Assert.Contains("mailto:sam.worker@example.org", html, StringComparison.Ordinal);
        Assert.Contains("01904 555123", html, StringComparison.Ordinal);
        Assert.Contains("<dd id=\"stage\">Allocated: first contact not yet recorded</dd>", html, StringComparison.Ordinal);
        Assert.Contains("Referral received", html, StringComparison.Ordinal);
        Assert.Contains("Accepted at triage", html, StringComparison.Ordinal);
        Assert.Contains("Clock set: First contact due on ", html, StringComparison.Ordinal);

        // The shell: navigation by role, who is signed in in words, and a sign-out form with its token.
        Assert.Contains("<a href=\"/staff/cases\">My cases</a>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("/staff/dashboard", html, StringComparison.Ordinal);
        Assert.Contains("Signed in as practitioner-selby, practitioner.", html, StringComparison.Ordinal);
        Assert.Matches("<form method=\"post\" action=\"/account/sign-out\"><input type=\"hidden\" name=\"__RequestVerificationToken\" value=\"[^\"]+\"><button type=\"submit\">Sign out</button></form>", html);
        Assert.Contains("class=\"table-scroll\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);

        // No workflow code names on the page.
        foreach (var code in new[] { ">Allocated<", "AwaitingTriage", "FirstContactDeadline", "TimerSet", "NotificationQueued" })
        {
            Assert.DoesNotContain(code, html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ACaseIsNotFoundForAnotherPractitionerOrThePanelAndTheManagerSeesIt()
    {
        var (reference, firstName) = await AllocatedCaseAsync();

        foreach (var stranger in new[] { StaffActor.Practitioner("practitioner-york"), StaffActor.Panel })
        {
            var response = await GetAsync($"/staff/cases/{reference}", stranger);
            var html = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.DoesNotContain(firstName, html, StringComparison.Ordinal);
            Assert.Contains("No case with this reference is open to you", html, StringComparison.Ordinal);
        }

        var posted = await PostFirstContactAsync(reference, StaffActor.Practitioner("practitioner-york"), At(LocalNow));
        Assert.Equal(HttpStatusCode.NotFound, posted.StatusCode);
        Assert.Equal("Allocated", (await _hh.ViewAsync(reference)).Stage);

        Assert.Equal(HttpStatusCode.OK, (await GetAsync($"/staff/cases/{reference}", StaffActor.Manager)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("/staff/cases/HH-2020-99999", StaffActor.Manager)).StatusCode);
    }

    [Fact]
    public async Task EveryReadOfTheCasePageIsAuditedWithWhoAndTheOutcome()
    {
        var (reference, _) = await AllocatedCaseAsync();
        var trail = factory.Services.GetRequiredService<AuditTrail>();
        var before = (await trail.ReadAsync(reference)).Count;

        await GetAsync($"/staff/cases/{reference}", StaffActor.Selby);
        await GetAsync($"/staff/cases/{reference}", StaffActor.Practitioner("practitioner-york"));

        var entries = (await trail.ReadAsync(reference)).Skip(before).Select(e => e.Event).ToList();
        Assert.Contains(entries, e => e.ActorId == "practitioner-selby" && e.Role == "Practitioner" && e.Action == "GET /staff/cases/{reference}" && e.Outcome == "allowed");
        Assert.Contains(entries, e => e.ActorId == "practitioner-york" && e.Action == "GET /staff/cases/{reference}" && e.Outcome == "not-found");
    }

    [Fact]
    public async Task RecordingFirstContactReturnsToTheCaseShowingTheNewStage()
    {
        var (reference, _) = await AllocatedCaseAsync();
        factory.Clock.SetUtcNow(DateTimeOffset.UtcNow > _hh.Now ? DateTimeOffset.UtcNow : _hh.Now);

        var response = await PostFirstContactAsync(reference, StaffActor.Selby, At(LocalNow));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/staff/cases/{reference}?recorded=first-contact", response.Headers.Location!.OriginalString);
        var html = await (await GetAsync(response.Headers.Location.OriginalString, StaffActor.Selby)).Content.ReadAsStringAsync();
        Assert.Contains("First contact recorded.", html, StringComparison.Ordinal);
        Assert.Contains("<dd id=\"stage\">Being supported</dd>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Record first contact</h2>", html, StringComparison.Ordinal);
        var view = await _hh.ViewAsync(reference);
        Assert.Equal("Active", view.Stage);
        Assert.NotNull(view.FirstContactAt);
    }

    [Fact]
    public async Task BadInputKeepsTheValuesShowsEachErrorBesideItsFieldAndChangesNothing()
    {
        var (reference, _) = await AllocatedCaseAsync();

        var response = await PostFirstContactAsync(reference, StaffActor.Selby, new()
        {
            ["consent"] = string.Empty,
            ["contactedAt.day"] = "31",
            ["contactedAt.month"] = "2",
            ["contactedAt.year"] = "2026",
            ["contactedAt.time"] = "25:70",
        });
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("<title>Error: Case ", html, StringComparison.Ordinal);
        Assert.Matches("<div class=\"error-summary\"[^>]* tabindex=\"-1\" autofocus>", html);
        Assert.Contains("<a href=\"#consent-yes\">Say whether the young person agreed to support.</a>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#contactedAt-day\">Enter a real date", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#contactedAt-time\">Enter the time in hours and minutes", html, StringComparison.Ordinal);
        Assert.Contains("id=\"contactedAt-error\"><span class=\"visually-hidden\">Error: </span>Enter a real date", html, StringComparison.Ordinal);
        Assert.Contains("id=\"contactedAt-day\" name=\"contactedAt.day\" value=\"31\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"contactedAt-time\" name=\"contactedAt.time\" value=\"25:70\"", html, StringComparison.Ordinal);
        Assert.Equal("Allocated", (await _hh.ViewAsync(reference)).Stage);

        // A time the decider refuses (before the referral arrived) comes back beside the date, the values kept.
        var early = await PostFirstContactAsync(reference, StaffActor.Selby, At(LocalNow.AddDays(-2)));
        var earlyHtml = await early.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, early.StatusCode);
        Assert.Contains("id=\"contactedAt-error\"><span class=\"visually-hidden\">Error: </span>First contact must be recorded at a time between the referral&#x27;s arrival and now.", earlyHtml, StringComparison.Ordinal);
        Assert.Contains("id=\"consent-yes\" name=\"consent\" value=\"yes\" checked", earlyHtml, StringComparison.Ordinal);
        Assert.Equal("Allocated", (await _hh.ViewAsync(reference)).Stage);
    }

    [Fact]
    public async Task AFormWithoutItsAntiforgeryTokenIsRefusedAndChangesNothing()
    {
        var (reference, _) = await AllocatedCaseAsync();
        var fields = At(LocalNow);
        var request = As(new HttpRequestMessage(HttpMethod.Post, $"/staff/cases/{reference}/first-contact") { Content = new FormUrlEncodedContent(fields) }, StaffActor.Selby);

        var response = await _browser.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("The page had expired", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("Allocated", (await _hh.ViewAsync(reference)).Stage);
    }

    [Fact]
    public async Task AFirstContactThatNoLongerFitsTheCaseSaysSoInPlainWords()
    {
        var (reference, _) = await AllocatedCaseAsync();
        await _hh.CommandAsync(reference, "first-contact", StaffActor.Selby, new JsonObject { ["contactedAt"] = _hh.Now, ["consent"] = false });

        var response = await PostFirstContactAsync(reference, StaffActor.Selby, At(LocalNow, consent: "yes"));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("First contact cannot be recorded now: the case is at the step &quot;Closed&quot;.", html, StringComparison.Ordinal);
        Assert.Contains("<dd id=\"stage\">Closed</dd>", html, StringComparison.Ordinal);
        Assert.Equal("Closed", (await _hh.ViewAsync(reference)).Stage);
    }

    [Fact]
    public async Task EachFormIsShownOnlyAtAStepItFitsAndOnlyToWhoMayTakeIt()
    {
        var (allocated, _) = await AllocatedCaseAsync();
        var active = await ActiveCaseAsync();

        var atAllocation = await (await GetAsync($"/staff/cases/{allocated}", StaffActor.Selby)).Content.ReadAsStringAsync();
        var inSupport = await (await GetAsync($"/staff/cases/{active}", StaffActor.Selby)).Content.ReadAsStringAsync();
        var analyst = await GetAsync($"/staff/cases/{active}", new StaffActor("analyst-1", "analyst"));

        Assert.DoesNotContain($"action=\"/staff/cases/{allocated}/review\"", atAllocation, StringComparison.Ordinal);
        Assert.DoesNotContain($"action=\"/staff/cases/{allocated}/session\"", atAllocation, StringComparison.Ordinal);
        Assert.Contains($"action=\"/staff/cases/{allocated}/close\"", atAllocation, StringComparison.Ordinal);
        Assert.Contains($"action=\"/staff/cases/{allocated}/contact-channel\"", atAllocation, StringComparison.Ordinal);
        foreach (var action in new[] { "session", "review", "contact-channel", "survey-opt-out", "close" })
        {
            Assert.Contains($"<form method=\"post\" action=\"/staff/cases/{active}/{action}\" novalidate>", inSupport, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("Record first contact</h2>", inSupport, StringComparison.Ordinal);
        Assert.NotEqual(HttpStatusCode.OK, analyst.StatusCode);
    }

    /// <summary>A session held today (UK time), as the form takes it.</summary>
    private Dictionary<string, string> SessionFields(string kind = "phone", string note = "Talked about school and safe adults.") => new()
    {
        ["heldOn.day"] = LocalNow.Day.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["heldOn.month"] = LocalNow.Month.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["heldOn.year"] = LocalNow.Year.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["kind"] = kind,
        ["note"] = note,
    };

    [Fact]
    public async Task RecordingASessionReturnsToTheCaseWithTheSessionInItsTimeline()
    {
        var reference = await ActiveCaseAsync();

        var response = await PostFormAsync(reference, StaffActor.Selby, "session", SessionFields());

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/staff/cases/{reference}?recorded=session", response.Headers.Location!.OriginalString);
        var html = await (await GetAsync(response.Headers.Location.OriginalString, StaffActor.Selby)).Content.ReadAsStringAsync();
        Assert.Contains("Session recorded.", html, StringComparison.Ordinal);
        Assert.Contains(", by phone: Talked about school and safe adults.</td>", html, StringComparison.Ordinal);
        Assert.Contains(await _hh.TimelineAsync(reference), s => s.Type == "SessionRecorded");
    }

    [Fact]
    public async Task ASessionWithBadInputKeepsTheValuesShowsEachErrorBesideItsFieldAndChangesNothing()
    {
        var reference = await ActiveCaseAsync();
        var fields = With(SessionFields(kind: string.Empty), ("heldOn.day", "30"), ("heldOn.month", "2"), ("note", "Met at the youth club."));

        var response = await PostFormAsync(reference, StaffActor.Selby, "session", fields);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Matches("<div class=\"error-summary\"[^>]* tabindex=\"-1\" autofocus>", html);
        Assert.Contains("<a href=\"#heldOn-day\">Enter a real date as day, month and year", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#kind-face-to-face\">Choose how the session was held.</a>", html, StringComparison.Ordinal);
        Assert.Contains("id=\"heldOn-error\"><span class=\"visually-hidden\">Error: </span>Enter a real date", html, StringComparison.Ordinal);
        Assert.Contains("id=\"heldOn-day\" name=\"heldOn.day\" value=\"30\"", html, StringComparison.Ordinal);
        Assert.Contains(">Met at the youth club.</textarea>", html, StringComparison.Ordinal);

        // A day the decider refuses (before first contact) comes back beside the date, the values kept.
        var early = await PostFormAsync(reference, StaffActor.Selby, "session", With(SessionFields(), ("heldOn.year", (LocalNow.Year - 1).ToString(System.Globalization.CultureInfo.InvariantCulture))));
        var earlyHtml = await early.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, early.StatusCode);
        Assert.Contains("id=\"heldOn-error\"><span class=\"visually-hidden\">Error: </span>A session is held between first contact and today.", earlyHtml, StringComparison.Ordinal);
        Assert.Contains("id=\"kind-phone\" name=\"kind\" value=\"phone\" checked", earlyHtml, StringComparison.Ordinal);
        Assert.DoesNotContain(await _hh.TimelineAsync(reference), s => s.Type == "SessionRecorded");
    }

    [Fact]
    public async Task ASessionBeforeFirstContactSaysInPlainWordsThatItDoesNotFitYet()
    {
        var (reference, _) = await AllocatedCaseAsync();

        var response = await PostFormAsync(reference, StaffActor.Selby, "session", SessionFields());
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("A session cannot be recorded now: the case is at the step &quot;Allocated: first contact not yet recorded&quot;.", html, StringComparison.Ordinal);
        Assert.DoesNotContain(await _hh.TimelineAsync(reference), s => s.Type == "SessionRecorded");
    }

    [Fact]
    public async Task RecordingAReviewReturnsToTheCaseWithTheNewRisk()
    {
        var reference = await ActiveCaseAsync();

        var response = await PostFormAsync(reference, StaffActor.Selby, "review", ReviewFields());

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/staff/cases/{reference}?recorded=review", response.Headers.Location!.OriginalString);
        var html = await (await GetAsync(response.Headers.Location.OriginalString, StaffActor.Selby)).Content.ReadAsStringAsync();
        Assert.Contains("Review recorded.", html, StringComparison.Ordinal);
        Assert.Contains("<dd id=\"risk\">Medium</dd>", html, StringComparison.Ordinal);
        var view = await _hh.ViewAsync(reference);
        Assert.Equal(1, view.ReviewCount);
        Assert.Equal("Medium", view.RiskLevel);
    }

    [Fact]
    public async Task AReviewWithBadInputKeepsTheValuesShowsEachErrorBesideItsFieldAndChangesNothing()
    {
        var reference = await ActiveCaseAsync();
        var fields = With(ReviewFields(), ("myWheel.safety", "11"), ("myWheel.relationships", string.Empty),
            ("trafficLights.1.indicator", "school attendance"), ("trafficLights.1.rating", string.Empty), ("review.riskLevel", string.Empty));

        var response = await PostFormAsync(reference, StaffActor.Selby, "review", fields);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("<title>Error: Case ", html, StringComparison.Ordinal);
        Assert.Matches("<div class=\"error-summary\"[^>]* tabindex=\"-1\" autofocus>", html);
        Assert.Contains("<a href=\"#myWheel-safety\">The score for Safety is a whole number from 1 to 10.</a>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#myWheel-relationships\">Enter the score for Relationships, from 1 to 10.</a>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#trafficLights-1-rating\">Choose red, amber or green for &quot;school attendance&quot;.</a>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#review-riskLevel-high\">Choose the risk level now", html, StringComparison.Ordinal);
        Assert.Contains("id=\"myWheel-safety-error\"><span class=\"visually-hidden\">Error: </span>The score for Safety", html, StringComparison.Ordinal);
        Assert.Contains("id=\"myWheel-safety\" name=\"myWheel.safety\" value=\"11\" inputmode=\"numeric\" autocomplete=\"off\" aria-describedby=\"myWheel-safety-error\" aria-invalid=\"true\">", html, StringComparison.Ordinal);
        Assert.Contains("name=\"myWheel.physical-health\" value=\"6\"", html, StringComparison.Ordinal);
        Assert.Contains("name=\"trafficLights.0.indicator\" value=\"missing episodes\"", html, StringComparison.Ordinal);
        Assert.Contains("<option value=\"amber\" selected>Amber</option>", html, StringComparison.Ordinal);
        Assert.Equal(0, (await _hh.ViewAsync(reference)).ReviewCount);
    }

    [Fact]
    public async Task AReviewBeforeFirstContactSaysInPlainWordsThatItDoesNotFitYet()
    {
        var (reference, _) = await AllocatedCaseAsync();

        var response = await PostFormAsync(reference, StaffActor.Selby, "review", ReviewFields());
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("A review cannot be recorded now: the case is at the step &quot;Allocated: first contact not yet recorded&quot;.", html, StringComparison.Ordinal);
        Assert.Equal(0, (await _hh.ViewAsync(reference)).ReviewCount);
    }

    [Fact]
    public async Task AnotherPractitionersFormsFindNoCaseAndChangeNothing()
    {
        var reference = await ActiveCaseAsync();
        var york = StaffActor.Practitioner("practitioner-york");

        Assert.Equal(HttpStatusCode.NotFound, (await PostFormAsync(reference, york, "review", ReviewFields())).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PostFormAsync(reference, york, "session", SessionFields())).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PostFormAsync(reference, york, "close", CloseFields())).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PostFormAsync(reference, york, "contact-channel", new() { ["channel"] = "email", ["address"] = "a@example.org", ["markedSafe"] = "yes" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PostFormAsync(reference, york, "survey-opt-out", [])).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostFormAsync(reference, new StaffActor("analyst-1", "analyst"), "review", ReviewFields())).StatusCode);

        var view = await _hh.ViewAsync(reference);
        Assert.Equal("Active", view.Stage);
        Assert.Equal(0, view.ReviewCount);
        var html = await (await GetAsync($"/staff/cases/{reference}", StaffActor.Selby)).Content.ReadAsStringAsync();
        Assert.DoesNotContain("Contact channel recorded", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SettingTheContactChannelShowsItOnTheCaseAndABadAddressIsShownBesideItsField()
    {
        var reference = await ActiveCaseAsync();

        var bad = await PostFormAsync(reference, StaffActor.Selby, "contact-channel", new() { ["channel"] = "sms", ["address"] = "12", ["markedSafe"] = "yes" });
        var badHtml = await bad.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("<a href=\"#address\">Enter a mobile number of 10 to 15 digits.</a>", badHtml, StringComparison.Ordinal);
        Assert.Contains("id=\"address\" name=\"address\" value=\"12\"", badHtml, StringComparison.Ordinal);
        Assert.Contains("id=\"channel-sms\" name=\"channel\" value=\"sms\" checked", badHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("Contact channel recorded", badHtml, StringComparison.Ordinal);

        var response = await PostFormAsync(reference, StaffActor.Selby, "contact-channel", new() { ["channel"] = "sms", ["address"] = "07700 900123", ["markedSafe"] = "yes" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/staff/cases/{reference}?recorded=contact-channel", response.Headers.Location!.OriginalString);
        var html = await (await GetAsync(response.Headers.Location.OriginalString, StaffActor.Selby)).Content.ReadAsStringAsync();
        Assert.Contains("Contact channel saved.", html, StringComparison.Ordinal);
        Assert.Contains("<dd>Text message, marked safe</dd>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("07700 900123", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSurveyOptOutIsRecordedOnceAndItsFormThenGoes()
    {
        var reference = await ActiveCaseAsync();

        var response = await PostFormAsync(reference, StaffActor.Selby, "survey-opt-out", []);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/staff/cases/{reference}?recorded=survey-opt-out", response.Headers.Location!.OriginalString);
        var html = await (await GetAsync(response.Headers.Location.OriginalString, StaffActor.Selby)).Content.ReadAsStringAsync();
        Assert.Contains("Recorded that the young person does not want the survey.", html, StringComparison.Ordinal);
        Assert.DoesNotContain($"action=\"/staff/cases/{reference}/survey-opt-out\"", html, StringComparison.Ordinal);
        Assert.Contains(await _hh.TimelineAsync(reference), s => s.Type == "SurveyOptedOut");
    }

    [Fact]
    public async Task ClosingTheCaseNeedsAReasonAndTheFinalMyWheelThenClosesIt()
    {
        var reference = await ActiveCaseAsync();

        var bad = await PostFormAsync(reference, StaffActor.Selby, "close", With(CloseFields(), ("close.reason", " "), ("finalMyWheel.safety", string.Empty)));
        var badHtml = await bad.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("<a href=\"#close-reason\">Enter the reason for closing the case.</a>", badHtml, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#finalMyWheel-safety\">Enter the score for Safety, from 1 to 10.</a>", badHtml, StringComparison.Ordinal);
        Assert.Contains("id=\"close-reason-error\"><span class=\"visually-hidden\">Error: </span>Enter the reason", badHtml, StringComparison.Ordinal);
        Assert.Contains("name=\"finalMyWheel.physical-health\" value=\"8\"", badHtml, StringComparison.Ordinal);
        Assert.Contains("id=\"close-riskLevel-standard\" name=\"close.riskLevel\" value=\"standard\" checked", badHtml, StringComparison.Ordinal);
        Assert.Equal("Active", (await _hh.ViewAsync(reference)).Stage);

        var response = await PostFormAsync(reference, StaffActor.Selby, "close", CloseFields());

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/staff/cases/{reference}?recorded=closed", response.Headers.Location!.OriginalString);
        var html = await (await GetAsync(response.Headers.Location.OriginalString, StaffActor.Selby)).Content.ReadAsStringAsync();
        Assert.Contains("Case closed.", html, StringComparison.Ordinal);
        Assert.Contains("<dd id=\"stage\">Closed</dd>", html, StringComparison.Ordinal);
        Assert.DoesNotContain($"action=\"/staff/cases/{reference}/close\"", html, StringComparison.Ordinal);
        var view = await _hh.ViewAsync(reference);
        Assert.Equal("Closed", view.Stage);
        Assert.Equal("Goals met", view.ClosureReason);
    }

    [Fact]
    public async Task ClosingACaseStillAtTriageSaysInPlainWordsThatItDoesNotFit()
    {
        var reference = await _hh.SubmitAsync(_hh.Form());

        var response = await PostFormAsync(reference, StaffActor.Manager, "close", CloseFields());
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("The case cannot be closed now: the case is at the step &quot;", html, StringComparison.Ordinal);
        Assert.Equal("AwaitingTriage", (await _hh.ViewAsync(reference)).Stage);
    }

    [Fact]
    public async Task ASignedOutBrowserIsSentToTheDevelopmentSignInAndBackToThePageItAskedFor()
    {
        var reference = "HH-2026-00042";
        var anonymous = factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });

        var challenge = await anonymous.GetAsync($"/staff/cases/{reference}");
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        Assert.Equal($"/dev/sign-in?returnUrl=%2Fstaff%2Fcases%2F{reference}", challenge.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/staff/triage-queue")).StatusCode);

        var signedIn = await SignInAsync(challenge.Headers.Location.OriginalString, returnUrl: null);
        Assert.Equal($"/staff/cases/{reference}", signedIn);

        // Another host, however it is spelt, is never followed.
        foreach (var elsewhere in new[] { "//evil.example/x", "https://evil.example/", "/\\evil.example", "evil.example" })
        {
            Assert.Equal("/dev/sign-in", await SignInAsync("/dev/sign-in", returnUrl: elsewhere));
        }
    }

    /// <summary>Opens <paramref name="signInPage"/> in a fresh browser, signs in as the Selby practitioner (with <paramref name="returnUrl"/> posted, if given) and returns where the sign-in redirects.</summary>
    private async Task<string> SignInAsync(string signInPage, string? returnUrl)
    {
        var browser = factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });
        var page = await browser.GetStringAsync(signInPage);
        var fields = HiddenInput().Matches(page).ToDictionary(m => m.Groups["name"].Value, m => WebUtility.HtmlDecode(m.Groups["value"].Value));
        if (returnUrl is not null)
        {
            fields["returnUrl"] = returnUrl;
        }

        fields["staffId"] = "practitioner-selby";
        fields["role"] = "practitioner";
        var response = await browser.PostAsync("/dev/sign-in", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!.OriginalString;
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]+)\" value=\"(?<value>[^\"]*)\">")]
    private static partial Regex HiddenInput();

    [GeneratedRegex("<tr>.*?</tr>", RegexOptions.Singleline)]
    private static partial Regex TableRow();
}
