using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HandInHand.Host.Audit;
using HandInHand.Host.Tests.Lifecycle;
using HandInHand.Host.Tests.Support;

namespace HandInHand.Host.Tests.Privacy;

public sealed class SubjectAccessTests(HandInHandFactory factory) : IClassFixture<HandInHandFactory>
{
    private readonly LifecycleDriver _hh = new(factory);

    [Fact]
    public async Task TheManagerExportsEverythingHeldAboutAYoungPersonAndTheExportIsAudited()
    {
        var form = _hh.Form();
        var firstName = form["youngPerson"]!["firstName"]!.GetValue<string>();
        var reference = await _hh.SubmitAsync(form);
        await _hh.AcceptAsync(reference);

        var response = await _hh.GetAsync($"/api/referrals/{reference}/subject-access-export", StaffActor.Manager);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("attachment", response.Content.Headers.ContentDisposition?.ToString() ?? response.Headers.GetValues("Content-Disposition").Single(), StringComparison.Ordinal);
        var export = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(firstName, export.GetProperty("form").GetProperty("youngPerson").GetProperty("firstName").GetString());
        Assert.Contains(export.GetProperty("history").EnumerateArray(), e => e.GetProperty("$type").GetString() == "Accepted");
        Assert.NotEmpty(export.GetProperty("notifications").EnumerateArray());
        Assert.NotEmpty(export.GetProperty("accessLog").EnumerateArray());

        var log = await _hh.GetOkAsync<List<AccessLogEntry>>($"/api/referrals/{reference}/audit", StaffActor.Manager);
        Assert.Contains(log, e => e.Action == "GET /api/referrals/{reference}/subject-access-export" && e.Outcome == "allowed" && e.ActorId == "manager-1");
    }

    [Fact]
    public async Task APractitionerCannotExportAndTheRefusalIsAudited()
    {
        var reference = await _hh.SubmitAsync(_hh.Form());
        await _hh.AcceptAsync(reference);

        Assert.Equal(HttpStatusCode.Forbidden, (await _hh.GetAsync($"/api/referrals/{reference}/subject-access-export", StaffActor.Selby)).StatusCode);

        var log = await _hh.GetOkAsync<List<AccessLogEntry>>($"/api/referrals/{reference}/audit", StaffActor.Manager);
        Assert.Contains(log, e => e.Action.EndsWith("subject-access-export", StringComparison.Ordinal) && e.Outcome == "refused");
    }
}
