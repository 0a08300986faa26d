using System.Net;
using System.Text.RegularExpressions;
using HandInHand.Host.Tests.Lifecycle;
using HandInHand.Host.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;

namespace HandInHand.Host.Tests.Staff;

/// <summary>
/// A case-page form whose command is still queued when the host stops waiting for it (a
/// millisecond here): the page says the step is being recorded, answers 202, and the step is
/// recorded all the same.
/// </summary>
public sealed partial class PendingStepPageTests(CommandStatusTests.ImpatientFactory factory) : IClassFixture<CommandStatusTests.ImpatientFactory>
{
    private readonly LifecycleDriver _hh = new(factory);

    private readonly HttpClient _browser = factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });

    private static HttpRequestMessage As(HttpRequestMessage request, StaffActor actor)
    {
        request.Headers.Add("X-Actor-Id", actor.Id);
        request.Headers.Add("X-Actor-Role", actor.Role);
        return request;
    }

    [Fact]
    public async Task AFirstContactStillQueuedSaysItIsBeingRecordedAndIsRecordedLater()
    {
        var reference = await _hh.SubmitAsync();
        await LifecycleDriver.EventuallyAsync(async () => (await _hh.GetAsync($"/api/referrals/{reference}", StaffActor.Manager)).StatusCode == HttpStatusCode.OK, $"{reference} received");
        Assert.Equal(HttpStatusCode.Accepted, (await _hh.SendAsync(reference, "accept", StaffActor.Manager, new System.Text.Json.Nodes.JsonObject())).StatusCode);
        await LifecycleDriver.EventuallyAsync(async () => (await _hh.ViewAsync(reference)).Stage == "Allocated", $"{reference} allocated");
        factory.Clock.SetUtcNow(DateTimeOffset.UtcNow > _hh.Now ? DateTimeOffset.UtcNow : _hh.Now);

        var page = await (await _browser.SendAsync(As(new HttpRequestMessage(HttpMethod.Get, $"/staff/cases/{reference}"), StaffActor.Selby))).Content.ReadAsStringAsync();
        var at = page.IndexOf($"<form method=\"post\" action=\"/staff/cases/{reference}/first-contact\"", StringComparison.Ordinal);
        var ours = page[at..page.IndexOf("</form>", at, StringComparison.Ordinal)];
        var fields = HiddenInput().Matches(ours).ToDictionary(m => m.Groups["name"].Value, m => WebUtility.HtmlDecode(m.Groups["value"].Value));
        var local = TimeZoneInfo.ConvertTime(_hh.Now, TimeZoneInfo.FindSystemTimeZoneById("Europe/London")).DateTime;
        fields["consent"] = "yes";
        fields["contactedAt.day"] = local.Day.ToString(System.Globalization.CultureInfo.InvariantCulture);
        fields["contactedAt.month"] = local.Month.ToString(System.Globalization.CultureInfo.InvariantCulture);
        fields["contactedAt.year"] = local.Year.ToString(System.Globalization.CultureInfo.InvariantCulture);
        fields["contactedAt.time"] = local.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);

        var response = await _browser.SendAsync(As(new HttpRequestMessage(HttpMethod.Post, $"/staff/cases/{reference}/first-contact") { Content = new FormUrlEncodedContent(fields) }, StaffActor.Selby));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Contains("First contact is being recorded. It can take a moment: open the case again shortly to see it.", html, StringComparison.Ordinal);
        Assert.Null(response.Headers.Location);
        await LifecycleDriver.EventuallyAsync(async () => (await _hh.ViewAsync(reference)).Stage == "Active", $"{reference} first contact recorded");
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]+)\" value=\"(?<value>[^\"]*)\">")]
    private static partial Regex HiddenInput();
}
