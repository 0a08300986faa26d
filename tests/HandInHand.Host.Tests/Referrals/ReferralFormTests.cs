using System.Net;
using System.Text.RegularExpressions;
using HandInHand.Host.Tests.Support;
using HandInHand.Infrastructure.Referrals;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace HandInHand.Host.Tests.Referrals;

/// <summary>The HTML form over plain HTTP: what a browser without scripts gets.</summary>
public sealed partial class ReferralFormTests(HandInHandFactory factory) : IClassFixture<HandInHandFactory>
{
    private readonly HttpClient _client = factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });

    private static Dictionary<string, string> ValidFields() => new()
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
        ["youngPersonAgreesToReferral"] = "no",
        ["referrer.name"] = "Sam Worker",
        ["referrer.organisation"] = "Example School",
        ["referrer.type"] = "school",
        ["referrer.email"] = "sam@example.org",
    };

    private async Task<(string Html, Dictionary<string, string> Hidden)> GetFormAsync()
    {
        var html = await _client.GetStringAsync("/referrals/new");
        var hidden = HiddenInput().Matches(html).ToDictionary(m => m.Groups["name"].Value, m => WebUtility.HtmlDecode(m.Groups["value"].Value));
        return (html, hidden);
    }

    private async Task<HttpResponseMessage> PostFormAsync(IEnumerable<KeyValuePair<string, string>> fields) =>
        await _client.PostAsync("/referrals/new", new FormUrlEncodedContent(fields));

    [Fact]
    public async Task TheFormLabelsEveryControlAndCarriesAnIdempotencyKeyAndAnAntiforgeryToken()
    {
        var (html, hidden) = await GetFormAsync();

        Assert.Contains("<html lang=\"en-GB\">", html, StringComparison.Ordinal);
        Assert.True(hidden.ContainsKey("idempotencyKey"));
        Assert.True(hidden.ContainsKey("__RequestVerificationToken"));
        var ids = ControlId().Matches(html).Select(m => m.Groups["id"].Value).ToList();
        Assert.True(ids.Count > 20, $"found {ids.Count} controls");
        foreach (var id in ids)
        {
            Assert.Contains($"<label for=\"{id}\">", html, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnInvalidFormComesBackWithItsValuesAndAMessageBesideEachField()
    {
        var (_, hidden) = await GetFormAsync();
        var fields = ValidFields();
        fields["youngPerson.dateOfBirth"] = "2030-01-01";
        fields.Remove("referrer.email");
        fields["youngPerson.firstName"] = "Alex <b>&</b>";
        var store = factory.Services.GetRequiredService<ReferralStore>();
        var before = await store.CountAsync("HH-");

        var response = await PostFormAsync(fields.Concat(hidden));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("There is a problem", html, StringComparison.Ordinal);
        Assert.Contains("href=\"#youngPerson-dateOfBirth\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"youngPerson-dateOfBirth-error\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"referrer-email-error\"", html, StringComparison.Ordinal);
        Assert.Contains("aria-invalid=\"true\"", html, StringComparison.Ordinal);
        Assert.Contains("value=\"Alex &lt;b&gt;&amp;&lt;/b&gt;\"", html, StringComparison.Ordinal);
        Assert.Contains("value=\"Sam Worker\"", html, StringComparison.Ordinal);
        Assert.Contains("value=\"medium\" checked", html, StringComparison.Ordinal);
        Assert.Contains("value=\"no\" checked", html, StringComparison.Ordinal);
        Assert.Equal(before, await store.CountAsync("HH-"));
    }

    [Fact]
    public async Task ANameWithARightToLeftOverrideComesBackWithTheMessageBesideTheName()
    {
        var (_, hidden) = await GetFormAsync();
        var fields = ValidFields();
        fields["youngPerson.lastName"] = "Exa\u202Eelpm";
        var store = factory.Services.GetRequiredService<ReferralStore>();
        var before = await store.CountAsync("HH-");

        var response = await PostFormAsync(fields.Concat(hidden));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("href=\"#youngPerson-lastName\"", html, StringComparison.Ordinal);
        Assert.Matches("id=\"youngPerson-lastName-error\"><span class=\"visually-hidden\">Error: </span>[^<]*direction-changing", html);
        Assert.Equal(before, await store.CountAsync("HH-"));
    }

    [Fact]
    public async Task AFormWithoutItsAntiforgeryTokenIsRefusedWithTheAnswersKept()
    {
        var (_, hidden) = await GetFormAsync();
        hidden.Remove("__RequestVerificationToken");

        var response = await PostFormAsync(ValidFields().Concat(hidden));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("expired", html, StringComparison.Ordinal);
        Assert.Contains("value=\"Sam Worker\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendingTheSameFormTwiceShowsTheSameReference()
    {
        var (_, hidden) = await GetFormAsync();
        var fields = ValidFields().Concat(hidden).ToList();

        var first = await (await PostFormAsync(fields)).Content.ReadAsStringAsync();
        var second = await (await PostFormAsync(fields)).Content.ReadAsStringAsync();

        var reference = ReferenceOnPage().Match(first).Groups["ref"].Value;
        Assert.Matches("^HH-2026-\\d{5}$", reference);
        Assert.Equal(reference, ReferenceOnPage().Match(second).Groups["ref"].Value);
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]+)\" value=\"(?<value>[^\"]*)\">")]
    private static partial Regex HiddenInput();

    [GeneratedRegex("<(?:input|select|textarea)(?! type=\"hidden\")[^>]* id=\"(?<id>[^\"]+)\"")]
    private static partial Regex ControlId();

    [GeneratedRegex("<strong id=\"reference\">(?<ref>[^<]+)</strong>")]
    private static partial Regex ReferenceOnPage();
}
