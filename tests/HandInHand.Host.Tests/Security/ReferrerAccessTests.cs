using System.Net;
using System.Text.RegularExpressions;
using System.Text.Json;
using System.Text.Json.Nodes;
using HandInHand.Domain.Lifecycle;
using HandInHand.Host.Tests.Lifecycle;
using HandInHand.Host.Tests.Referrals;
using HandInHand.Host.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;

namespace HandInHand.Host.Tests.Security;

/// <summary>
/// A referrer has no account: their power over a referral is its reference and access code, never a
/// role claim. A refused command tells the caller no more than a refused read.
/// </summary>
public sealed class ReferrerAccessTests(HandInHandFactory factory) : IClassFixture<HandInHandFactory>, IAsyncLifetime
{
    private static readonly JsonObject Withdrawal = new() { ["reason"] = "Support found elsewhere", ["category"] = "no-longer-needed" };

    private readonly LifecycleDriver _hh = new(factory);

    /// <summary>Room for every referral these tests accept, so each is allocated rather than left waiting.</summary>
    public Task InitializeAsync() => _hh.PutPractitionerAsync(LifecycleDriver.SelbyPractitioner, LifecycleDriver.Selby, capacity: 100);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task ACallerClaimingTheReferrerRoleCannotWithdrawSomeoneElsesReferralAndLearnsNothingAboutIt()
    {
        var reference = await _hh.SubmitAsync(_hh.Form(risk: "high"));
        var allocated = await _hh.AcceptAsync(reference);

        var response = await _hh.SendAsync(reference, "withdraw", StaffActor.ClaimedReferrer, Withdrawal.DeepClone());
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain(LifecycleDriver.Selby, text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(allocated.PractitionerId!, text, StringComparison.Ordinal);
        Assert.DoesNotContain("High", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Allocated", text, StringComparison.Ordinal);
        Assert.Equal(allocated.Version, (await _hh.ViewAsync(reference)).Version);
    }

    [Fact]
    public async Task ACallerClaimingTheReferrerRoleCannotAnswerAnInformationRequestOrConfirmAReferralStillNeeded()
    {
        var reference = await _hh.SubmitAsync(_hh.Form());
        var asked = await _hh.CommandAsync(reference, "request-information", StaffActor.Manager);

        Assert.Equal(HttpStatusCode.Forbidden, (await _hh.SendAsync(reference, "receive-information", StaffActor.ClaimedReferrer)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _hh.SendAsync(reference, "confirm-still-needed", StaffActor.ClaimedReferrer)).StatusCode);

        var after = await _hh.ViewAsync(reference);
        Assert.Equal("AwaitingInformation", after.Stage);
        Assert.Equal(asked.Version, after.Version);
    }

    [Fact]
    public async Task ACommandTheDeciderRefusesAnswersExactlyAsARefusedRead()
    {
        // The manager may read a Trusted Relationships referral but only the panel may accept it:
        // the decider refuses, and the answer must say no more than a policy's refusal of a read.
        var reference = await SubmitTrustedRelationshipsAsync();

        var refusedCommand = await LifecycleDriver.ProblemAsync(await _hh.SendAsync(reference, "accept", StaffActor.Manager), HttpStatusCode.Forbidden);
        var refusedRead = await LifecycleDriver.ProblemAsync(await _hh.GetAsync($"/api/referrals/{reference}", StaffActor.ClaimedReferrer), HttpStatusCode.Forbidden);

        Assert.Equal(Shape(refusedRead), Shape(refusedCommand));
        Assert.Equal(refusedRead.GetProperty("title").GetString(), refusedCommand.GetProperty("title").GetString());
        Assert.DoesNotContain("AwaitingTriage", refusedCommand.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReferrerWithTheCodeWithdrawsThroughTheApiAndTheHistoryRecordsTheReferrer()
    {
        var reference = await _hh.SubmitAsync(_hh.Form());
        await _hh.AcceptAsync(reference);

        var response = await _hh.ReferrerSendAsync(reference, "withdraw", Withdrawal.DeepClone());
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonSerializer.Deserialize<JsonElement>(text);
        Assert.Equal(["receivedAt", "reference", "status"], answer.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("Withdrawn", answer.GetProperty("status").GetString());
        Assert.Equal("Withdrawn", (await _hh.ViewAsync(reference)).Stage);
        var withdrawn = Assert.Single(await _hh.TimelineAsync(reference), s => s.Type == "Withdrawn");
        Assert.Equal(("referrer", nameof(Role.Referrer)), (withdrawn.ActorId, withdrawn.ActorRole));
    }

    [Fact]
    public async Task AWrongCodeOrAnotherReferralsCodeOrAnUnknownReferenceGetsTheSame404AsTheStatusReadAndChangesNothing()
    {
        var reference = await _hh.SubmitAsync(_hh.Form());
        var other = await _hh.SubmitAsync(_hh.Form());
        var before = await _hh.ViewAsync(reference);

        var wrong = await LifecycleDriver.ProblemAsync(await _hh.ReferrerSendAsync(reference, "withdraw", Withdrawal.DeepClone(), code: "AAAA-BBBB-CCCC-DDDD-EEEE"), HttpStatusCode.NotFound);
        var borrowed = await LifecycleDriver.ProblemAsync(await _hh.ReferrerSendAsync(reference, "withdraw", Withdrawal.DeepClone(), code: _hh.AccessCode(other)), HttpStatusCode.NotFound);
        var unknown = await LifecycleDriver.ProblemAsync(await _hh.ReferrerSendAsync("HH-2026-99999", "still-needed", code: _hh.AccessCode(other)), HttpStatusCode.NotFound);
        var missing = await LifecycleDriver.ProblemAsync(await _hh.ReferrerSendAsync(reference, "information", code: string.Empty), HttpStatusCode.NotFound);
        var statusRead = new HttpRequestMessage(HttpMethod.Get, $"/api/referrals/{reference}/status");
        statusRead.Headers.Add(HandInHand.Host.Referrals.ReferralApi.AccessCodeHeader, "AAAA-BBBB-CCCC-DDDD-EEEE");
        var read = await LifecycleDriver.ProblemAsync(await _hh.Client.SendAsync(statusRead), HttpStatusCode.NotFound);

        foreach (var refused in new[] { wrong, borrowed, unknown, missing })
        {
            Assert.Equal(read.GetProperty("title").GetString(), refused.GetProperty("title").GetString());
            Assert.Equal(read.GetProperty("detail").GetString(), refused.GetProperty("detail").GetString());
        }

        Assert.Equal(before.Version, (await _hh.ViewAsync(reference)).Version);
    }

    [Fact]
    public async Task AReferrerWithTheCodeAnswersAnInformationRequestAndAWithdrawalWithoutAReasonIsAFieldError()
    {
        var reference = await _hh.SubmitAsync(_hh.Form());
        await _hh.CommandAsync(reference, "request-information", StaffActor.Manager);

        var noReason = await LifecycleDriver.ProblemAsync(await _hh.ReferrerSendAsync(reference, "withdraw", new JsonObject()), HttpStatusCode.BadRequest);
        Assert.True(noReason.GetProperty("errors").TryGetProperty("reason", out _));
        Assert.True(noReason.GetProperty("errors").TryGetProperty("category", out _));
        var stillNeeded = await LifecycleDriver.ProblemAsync(await _hh.ReferrerSendAsync(reference, "still-needed"), HttpStatusCode.Conflict);
        Assert.DoesNotContain(LifecycleDriver.Selby, stillNeeded.GetRawText(), StringComparison.Ordinal);

        Assert.Equal("Received", (await _hh.ReferrerAsync(reference, "information")).Status);
        Assert.Equal("AwaitingTriage", (await _hh.ViewAsync(reference)).Stage);
        var received = Assert.Single(await _hh.TimelineAsync(reference), s => s.Type == "InformationReceived");
        Assert.Equal(nameof(Role.Referrer), received.ActorRole);
    }

    [Fact]
    public async Task StaffMayStillActOnAReferrersBehalfAndTheHistoryRecordsTheStaffMember()
    {
        var reference = await _hh.SubmitAsync(_hh.Form());
        await _hh.CommandAsync(reference, "request-information", StaffActor.Manager);

        await _hh.CommandAsync(reference, "receive-information", StaffActor.Manager);

        var received = Assert.Single(await _hh.TimelineAsync(reference), s => s.Type == "InformationReceived");
        Assert.Equal((StaffActor.Manager.Id, nameof(Role.Manager)), (received.ActorId, received.ActorRole));
    }

    [Fact]
    public async Task AReferrerWithTheCodeWithdrawsFromTheStatusPageWithTheCodeInTheFormBodyAndErrorsBesideTheFields()
    {
        var reference = await _hh.SubmitAsync(_hh.Form());
        await _hh.AcceptAsync(reference);
        var browser = factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });
        var lookup = Hidden(await browser.GetStringAsync("/referrals/status"));
        lookup["reference"] = reference;
        lookup["accessCode"] = _hh.AccessCode(reference);

        var statusPage = await (await browser.PostAsync("/referrals/status", new FormUrlEncodedContent(lookup))).Content.ReadAsStringAsync();
        Assert.Contains("action=\"/referrals/status/withdraw\"", statusPage, StringComparison.Ordinal);
        Assert.DoesNotContain("action=\"/referrals/status/still-needed\"", statusPage, StringComparison.Ordinal);
        Assert.DoesNotContain("?", string.Concat(Regex.Matches(statusPage, "action=\"[^\"]*\"").Select(m => m.Value)), StringComparison.Ordinal);
        var withdraw = Hidden(FormOf(statusPage, "withdraw"));
        Assert.Equal(reference, withdraw["reference"]);
        Assert.Equal(_hh.AccessCode(reference), withdraw["accessCode"]);

        var incomplete = await browser.PostAsync("/referrals/status/withdraw", new FormUrlEncodedContent(withdraw));
        var incompleteHtml = await incomplete.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, incomplete.StatusCode);
        Assert.Contains("id=\"reason-error\"", incompleteHtml, StringComparison.Ordinal);
        Assert.Contains("id=\"category-error\"", incompleteHtml, StringComparison.Ordinal);
        Assert.Contains("aria-invalid=\"true\"", incompleteHtml, StringComparison.Ordinal);
        Assert.Equal("Allocated", (await _hh.ViewAsync(reference)).Stage);

        var complete = Hidden(FormOf(incompleteHtml, "withdraw"));
        complete["reason"] = "Support found elsewhere";
        complete["category"] = "no-longer-needed";
        var done = await browser.PostAsync("/referrals/status/withdraw", new FormUrlEncodedContent(complete));
        var doneHtml = await done.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Contains("The referral has been withdrawn", doneHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("action=\"/referrals/status/withdraw\"", doneHtml, StringComparison.Ordinal);
        Assert.Equal("Withdrawn", (await _hh.ViewAsync(reference)).Stage);
        var withdrawn = Assert.Single(await _hh.TimelineAsync(reference), s => s.Type == "Withdrawn");
        Assert.Equal(("referrer", nameof(Role.Referrer)), (withdrawn.ActorId, withdrawn.ActorRole));
    }

    [Fact]
    public async Task TheStatusPageOffersAnAnswerToAnInformationRequestAndRefusesAnotherReferralsCodeLikeAnUnknownOne()
    {
        var reference = await _hh.SubmitAsync(_hh.Form());
        var other = await _hh.SubmitAsync(_hh.Form());
        await _hh.CommandAsync(reference, "request-information", StaffActor.Manager);
        var browser = factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });
        var lookup = Hidden(await browser.GetStringAsync("/referrals/status"));
        lookup["reference"] = reference;
        lookup["accessCode"] = _hh.AccessCode(reference);
        var statusPage = await (await browser.PostAsync("/referrals/status", new FormUrlEncodedContent(lookup))).Content.ReadAsStringAsync();
        var answer = Hidden(FormOf(statusPage, "information"));

        var borrowed = new Dictionary<string, string>(answer) { ["accessCode"] = _hh.AccessCode(other) };
        var refused = await browser.PostAsync("/referrals/status/information", new FormUrlEncodedContent(borrowed));
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Contains("We could not find a referral with that reference and access code", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("AwaitingInformation", (await _hh.ViewAsync(reference)).Stage);

        var done = await browser.PostAsync("/referrals/status/information", new FormUrlEncodedContent(answer));

        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Contains("Thank you", await done.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("AwaitingTriage", (await _hh.ViewAsync(reference)).Stage);
    }

    /// <summary>The form that posts to /referrals/status/<paramref name="action"/>, as HTML.</summary>
    private static string FormOf(string html, string action)
    {
        var start = html.IndexOf($"action=\"/referrals/status/{action}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no {action} form on the page");
        return html[start..html.IndexOf("</form>", start, StringComparison.Ordinal)];
    }

    private static Dictionary<string, string> Hidden(string html) =>
        Regex.Matches(html, "<input type=\"hidden\" name=\"(?<name>[^\"]+)\" value=\"(?<value>[^\"]*)\">")
            .GroupBy(m => m.Groups["name"].Value)
            .ToDictionary(g => g.Key, g => WebUtility.HtmlDecode(g.First().Groups["value"].Value));

    private async Task<string> SubmitTrustedRelationshipsAsync()
    {
        var form = _hh.Form().AsTrustedRelationships();
        return await _hh.SubmitAsync(form);
    }

    private static string[] Shape(JsonElement problem) => [.. problem.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];
}
