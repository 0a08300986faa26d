using System.Net;
using System.Text.RegularExpressions;
using HandInHand.Host.Tests.Lifecycle;
using HandInHand.Host.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;

namespace HandInHand.Host.Tests.Referrals;

/// <summary>
/// The referrer's pages beyond the plain referral form: the status page's actions as a browser
/// without scripts uses them, and the Trusted Relationships referral form.
/// </summary>
public sealed partial class ReferrerPagesTests(HandInHandFactory factory) : IClassFixture<HandInHandFactory>
{
    private readonly LifecycleDriver _hh = new(factory);

    private readonly HttpClient _browser = factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });

    private static Dictionary<string, string> Hidden(string html) =>
        HiddenInput().Matches(html).ToDictionary(m => m.Groups["name"].Value, m => WebUtility.HtmlDecode(m.Groups["value"].Value));

    private static string FormOf(string html, string action)
    {
        var at = html.IndexOf($"action=\"/referrals/status/{action}\"", StringComparison.Ordinal);
        Assert.True(at >= 0, $"no {action} form on the page");
        return html[at..html.IndexOf("</form>", at, StringComparison.Ordinal)];
    }

    private async Task<string> StatusPageAsync(string reference)
    {
        var lookup = Hidden(await _browser.GetStringAsync("/referrals/status"));
        lookup["reference"] = reference;
        lookup["accessCode"] = _hh.AccessCode(reference);
        return await (await _browser.PostAsync("/referrals/status", new FormUrlEncodedContent(lookup))).Content.ReadAsStringAsync();
    }

    private static Dictionary<string, string> TrustedRelationshipsFields() => new()
    {
        ["youngPerson.firstName"] = "Alex",
        ["youngPerson.lastName"] = "Example",
        ["youngPerson.dateOfBirth"] = "2011-05-14",
        ["youngPerson.gender"] = "female",
        ["youngPerson.ethnicity"] = "white",
        ["youngPerson.region"] = "Selby",
        ["youngPerson.safeContact"] = "Through her social worker",
        ["concerns"] = "cce",
        ["riskLevel"] = "medium",
        ["youngPersonKnowsAboutReferral"] = "yes",
        ["youngPersonAgreesToReferral"] = "yes",
        ["referrer.name"] = "Sam Worker",
        ["referrer.organisation"] = "Children's Social Care",
        ["referrer.type"] = "social-care",
        ["referrer.email"] = "sam@example.org",
        ["trustedRelationships.referrerIsCaseHolder"] = "yes",
        ["trustedRelationships.ceraCompletedOn"] = "2026-11-02",
        ["trustedRelationships.multiAgencyDiscussion"] = "mast",
        ["trustedRelationships.multiAgencyDiscussionOn"] = "2026-11-16",
    };

    [Fact]
    public async Task AWithdrawalWithErrorsShowsAnErrorSummaryThatTakesTheFocusAndLinksToEachField()
    {
        var reference = await _hh.SubmitAsync(_hh.Form());
        var withdraw = Hidden(FormOf(await StatusPageAsync(reference), "withdraw"));
        Assert.True(withdraw.ContainsKey("idempotencyKey"), "the withdraw form carries no idempotency key");

        var response = await _browser.PostAsync("/referrals/status/withdraw", new FormUrlEncodedContent(withdraw));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Matches("<div class=\"error-summary\"[^>]* tabindex=\"-1\" autofocus>", html);
        Assert.Contains("<a href=\"#reason\">Give a reason of 1 to 2000 characters.</a>", html, StringComparison.Ordinal);
        Assert.Matches("<a href=\"#category-[a-z-]+\">Choose a category", html);
        Assert.Equal("AwaitingTriage", (await _hh.ViewAsync(reference)).Stage);
    }

    [Fact]
    public async Task EachStatusPageFormCarriesAnIdempotencyKeyAndASecondPostOfTheSameFormIsTheSameAnswer()
    {
        var reference = await _hh.SubmitAsync(_hh.Form());
        await _hh.CommandAsync(reference, "request-information", StaffActor.Manager);
        var answer = Hidden(FormOf(await StatusPageAsync(reference), "information"));
        Assert.True(answer.ContainsKey("idempotencyKey"), "the information form carries no idempotency key");

        var first = await _browser.PostAsync("/referrals/status/information", new FormUrlEncodedContent(answer));
        var again = await _browser.PostAsync("/referrals/status/information", new FormUrlEncodedContent(answer));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("The referral has gone back to the service", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Single(await _hh.TimelineAsync(reference), s => s.Type == "InformationReceived");
    }

    [Fact]
    public async Task ATrustedRelationshipsReferralsStatusSaysThePanelDecides()
    {
        var reference = await _hh.SubmitAsync(_hh.Form().AsTrustedRelationships());

        var html = await StatusPageAsync(reference);

        Assert.Contains("<dd id=\"status\">Received: waiting for the Trusted Relationships panel to review it</dd>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheTrustedRelationshipsFormAsksForTheCeraAndTheMultiAgencyDiscussionAndMakesATrustedRelationshipsReferral()
    {
        Assert.Contains("href=\"/referrals/new/trusted-relationships\"", await _browser.GetStringAsync("/referrals/new"), StringComparison.Ordinal);
        var html = await _browser.GetStringAsync("/referrals/new/trusted-relationships");
        Assert.Contains("<h1>Refer a young person to Trusted Relationships</h1>", html, StringComparison.Ordinal);
        Assert.Contains("action=\"/referrals/new/trusted-relationships\"", html, StringComparison.Ordinal);
        foreach (var id in new[] { "trustedRelationships-ceraCompletedOn", "trustedRelationships-multiAgencyDiscussionOn", "trustedRelationships-referrerIsCaseHolder-yes" })
        {
            Assert.Contains($"<label for=\"{id}\">", html, StringComparison.Ordinal);
        }

        // Only the referrer types the policy admits are offered.
        Assert.DoesNotContain("value=\"school\"", html, StringComparison.Ordinal);
        var fields = TrustedRelationshipsFields().Concat(Hidden(html)).ToList();

        var response = await _browser.PostAsync("/referrals/new/trusted-relationships", new FormUrlEncodedContent(fields));
        var confirmation = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reference = ReferenceOnPage().Match(confirmation).Groups["ref"].Value;
        Assert.Matches("^TR-2026-\\d{5}$", reference);
        Assert.Contains("id=\"access-code\"", confirmation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheTrustedRelationshipsFormRefusesAMissingCeraAndAnotherReferrerTypeBesideTheFieldsAndStoresNothing()
    {
        var html = await _browser.GetStringAsync("/referrals/new/trusted-relationships");
        var fields = TrustedRelationshipsFields();
        fields["referrer.type"] = "school";
        fields["trustedRelationships.ceraCompletedOn"] = string.Empty;
        fields.Remove("trustedRelationships.referrerIsCaseHolder");

        var response = await _browser.PostAsync("/referrals/new/trusted-relationships", new FormUrlEncodedContent(fields.Concat(Hidden(html))));
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("<title>Error: Refer a young person to Trusted Relationships", page, StringComparison.Ordinal);
        Assert.Contains("id=\"referrer-type-error\"", page, StringComparison.Ordinal);
        Assert.Contains("id=\"trustedRelationships-ceraCompletedOn-error\"", page, StringComparison.Ordinal);
        Assert.Contains("id=\"trustedRelationships-referrerIsCaseHolder-error\"", page, StringComparison.Ordinal);
        Assert.Contains("value=\"2026-11-16\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Referral received", page, StringComparison.Ordinal);
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]+)\" value=\"(?<value>[^\"]*)\">")]
    private static partial Regex HiddenInput();

    [GeneratedRegex("<strong id=\"reference\">(?<ref>[^<]+)</strong>")]
    private static partial Regex ReferenceOnPage();
}
