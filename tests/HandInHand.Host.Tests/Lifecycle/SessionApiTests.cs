using System.Net;
using System.Text.Json.Nodes;
using HandInHand.Host.Tests.Support;

namespace HandInHand.Host.Tests.Lifecycle;

/// <summary>POST /api/referrals/{reference}/sessions: the case holder records a session during support; a bad one is a field error and changes nothing.</summary>
public sealed class SessionApiTests(HandInHandFactory factory) : IClassFixture<HandInHandFactory>
{
    private readonly LifecycleDriver _hh = new(factory);

    [Fact]
    public async Task TheCaseHolderRecordsASessionAndABadNoteIsAFieldError()
    {
        var reference = await _hh.SubmitAsync();
        var holder = StaffActor.Practitioner((await _hh.ActivateAsync(reference)).PractitionerId!);
        var today = DateOnly.FromDateTime(_hh.Now.UtcDateTime).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var bad = await _hh.SendAsync(reference, "sessions", holder, new JsonObject { ["heldOn"] = today, ["kind"] = "face-to-face", ["note"] = " " });
        var problem = await LifecycleDriver.ProblemAsync(bad, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("note", out _), problem.ToString());
        Assert.DoesNotContain(await _hh.TimelineAsync(reference), s => s.Type == "SessionRecorded");

        await _hh.CommandAsync(reference, "sessions", holder, new JsonObject { ["heldOn"] = today, ["kind"] = "face-to-face", ["note"] = "Met at school." });

        var session = Assert.Single(await _hh.TimelineAsync(reference), s => s.Type == "SessionRecorded");
        Assert.Equal(today, session.Details.GetProperty("heldOn").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await _hh.SendAsync(reference, "sessions", StaffActor.Practitioner("practitioner-york"), new JsonObject { ["heldOn"] = today, ["kind"] = "phone", ["note"] = "x" })).StatusCode);
    }
}
