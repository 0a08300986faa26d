using System.Net;
using System.Text.Json.Nodes;
using HandInHand.Domain.Lifecycle;
using HandInHand.Host.Staff;
using HandInHand.Host.Tests.Support;

namespace HandInHand.Host.Tests.Lifecycle;

/// <summary>Who did what is recorded; deadlines are shown; and every refusal says why, with the right status.</summary>
public sealed class AccountabilityAndRefusalTests(HandInHandFactory factory) : IClassFixture<HandInHandFactory>, IAsyncLifetime
{
    private static readonly StaffActor OtherPractitioner = StaffActor.Practitioner("practitioner-york");

    private readonly LifecycleDriver _hh = new(factory);

    /// <summary>Room for every referral these tests accept, so each is allocated rather than left waiting.</summary>
    public Task InitializeAsync() => _hh.PutPractitionerAsync(LifecycleDriver.SelbyPractitioner, LifecycleDriver.Selby, capacity: 100);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task TheTimelineRecordsWhoActedInWhatRoleForEveryStep()
    {
        var reference = await _hh.SubmitAsync(_hh.Form());
        await _hh.CommandAsync(reference, "accept", new StaffActor("manager-7", "manager"));
        await _hh.CommandAsync(reference, "first-contact", StaffActor.Selby, new JsonObject { ["consent"] = true });
        await _hh.CommandAsync(reference, "reviews", StaffActor.Selby, LifecycleDriver.Review());

        var timeline = await _hh.TimelineAsync(reference);

        Assert.Equal(Enumerable.Range(1, timeline.Count).Select(i => (long)i), timeline.Select(s => s.Sequence));
        Assert.Equal(("system", nameof(Role.System)), Actor(timeline, "Received"));
        Assert.Equal(("manager-7", nameof(Role.Manager)), Actor(timeline, "Accepted"));
        Assert.Equal(("system", nameof(Role.System)), Actor(timeline, "Allocated"));
        Assert.Equal((LifecycleDriver.SelbyPractitioner, nameof(Role.Practitioner)), Actor(timeline, "FirstContactRecorded"));
        Assert.Equal((LifecycleDriver.SelbyPractitioner, nameof(Role.Practitioner)), Actor(timeline, "ReviewRecorded"));
        Assert.All(timeline, s => Assert.Equal(s.Type, s.Details.GetProperty("$type").GetString()));
        Assert.Equal(LifecycleDriver.SelbyPractitioner, Assert.Single(timeline, s => s.Type == "Allocated").Details.GetProperty("practitionerId").GetString());
    }

    [Fact]
    public async Task TheTriageQueueAndTheDueViewShowEachReferralsDeadlines()
    {
        var reference = await _hh.SubmitAsync(_hh.Form());
        var received = _hh.Now;
        var triageDue = WorkingDays.Add(received, 1);

        var queued = Assert.Single(await _hh.GetOkAsync<List<QueueItem>>("/api/staff/triage-queue"), q => q.Reference == reference);
        Assert.Equal("AwaitingTriage", queued.Stage);
        Assert.Equal(received, queued.ReceivedAt);
        Assert.Equal(triageDue, queued.TriageDueAt);
        Assert.Equal(received.AddHours(24), queued.FirstContactDueAt);
        Assert.Equal(LifecycleDriver.Selby, queued.Region);
        Assert.Equal("High", queued.RiskLevel);

        var day = DateOnly.FromDateTime(received.AddHours(24).UtcDateTime).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var due = (await _hh.GetOkAsync<List<DueItem>>($"/api/staff/due?on={day}")).Where(d => d.Reference == reference).ToList();
        var firstContact = Assert.Single(due, d => d.Deadline == nameof(TimerKind.FirstContactDeadline));
        Assert.Equal(received.AddHours(24), firstContact.DueAt);
        Assert.False(firstContact.Overdue);
        Assert.All(due, d => Assert.True(d.Deadline is nameof(TimerKind.FirstContactDeadline) or nameof(TimerKind.TriageDeadline), d.Deadline));
        Assert.Equal(due.OrderBy(d => d.DueAt).Select(d => d.Deadline), due.Select(d => d.Deadline));

        // Past the deadline (before the dispatcher has escalated it) the same deadline shows as overdue today.
        factory.Clock.SetUtcNow(received.AddHours(25));
        var overdue = Assert.Single(await _hh.GetOkAsync<List<DueItem>>("/api/staff/due"), d => d.Reference == reference && d.Deadline == nameof(TimerKind.FirstContactDeadline));
        Assert.True(overdue.Overdue);
        Assert.Null(overdue.PractitionerId);
    }

    [Fact]
    public async Task APractitionerCannotSeeAnotherPractitionersCaseWhichLooksNotFound()
    {
        var reference = await _hh.SubmitAsync(_hh.Form());
        await _hh.AcceptAsync(reference);

        Assert.Equal(HttpStatusCode.OK, (await _hh.GetAsync($"/api/referrals/{reference}", StaffActor.Selby)).StatusCode);
        var other = await LifecycleDriver.ProblemAsync(await _hh.GetAsync($"/api/referrals/{reference}", OtherPractitioner), HttpStatusCode.NotFound);
        var missing = await LifecycleDriver.ProblemAsync(await _hh.GetAsync("/api/referrals/HH-2026-99999", OtherPractitioner), HttpStatusCode.NotFound);
        await LifecycleDriver.ProblemAsync(await _hh.GetAsync($"/api/referrals/{reference}/timeline", OtherPractitioner), HttpStatusCode.NotFound);

        // The answer is the same as for a reference that does not exist.
        Assert.Equal(missing.GetProperty("detail").GetString(), other.GetProperty("detail").GetString());
    }

    public static TheoryData<string, string, string> ForbiddenActs => new()
    {
        { "referrer", "accept", "{}" },
        { "admin", "request-information", "{}" },
        { "analyst", "decline", "{\"reason\":\"no\"}" },
    };

    [Theory]
    [InlineData("accept", "{}")]
    [InlineData("decline", "{\"reason\":\"no\"}")]
    [InlineData("first-contact", "{\"consent\":true}")]
    public async Task APractitionerActingOnACaseNotAllocatedToThemGets404AndNothingChanges(string action, string body)
    {
        var reference = await _hh.SubmitAsync(_hh.Form());
        var before = await _hh.ViewAsync(reference);

        await LifecycleDriver.ProblemAsync(await _hh.SendAsync(reference, action, new StaffActor("practitioner-9", "practitioner"), JsonNode.Parse(body)), HttpStatusCode.NotFound);

        Assert.Equal(before.Version, (await _hh.ViewAsync(reference)).Version);
    }

    [Theory]
    [MemberData(nameof(ForbiddenActs))]
    public async Task ARoleThatMayNotActGets403AndNothingChanges(string role, string action, string body)
    {
        var reference = await _hh.SubmitAsync(_hh.Form());
        var before = await _hh.ViewAsync(reference);

        var problem = await LifecycleDriver.ProblemAsync(await _hh.SendAsync(reference, action, new StaffActor(role + "-1", role), JsonNode.Parse(body)), HttpStatusCode.Forbidden);

        // A refusal says no more than a refused read: nothing of the referral's step or details.
        Assert.DoesNotContain("AwaitingTriage", problem.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(before.Version, (await _hh.ViewAsync(reference)).Version);
    }

    [Fact]
    public async Task OnlyTheCaseHolderOrTheManagerMayRecordACasesFirstContactAndStaffViewsAreForTheManager()
    {
        var reference = await _hh.SubmitAsync(_hh.Form());
        await _hh.AcceptAsync(reference);

        await LifecycleDriver.ProblemAsync(await _hh.SendAsync(reference, "first-contact", OtherPractitioner, new JsonObject { ["consent"] = true }), HttpStatusCode.NotFound);
        await LifecycleDriver.ProblemAsync(await _hh.SendAsync(reference, "close", StaffActor.ClaimedReferrer, LifecycleDriver.Closure()), HttpStatusCode.Forbidden);
        await LifecycleDriver.ProblemAsync(await _hh.GetAsync("/api/staff/triage-queue", StaffActor.Selby), HttpStatusCode.Forbidden);
        await LifecycleDriver.ProblemAsync(await _hh.GetAsync("/api/staff/notifications", StaffActor.ClaimedReferrer), HttpStatusCode.Forbidden);
        await LifecycleDriver.ProblemAsync(await _hh.GetAsync($"/api/referrals/{reference}", StaffActor.ClaimedReferrer), HttpStatusCode.Forbidden);
        await LifecycleDriver.ProblemAsync(await _hh.Client.PostAsync($"/api/referrals/{reference}/close", null), HttpStatusCode.Unauthorized);
        Assert.Equal("Allocated", (await _hh.ViewAsync(reference)).Stage);
    }

    [Theory]
    [InlineData("first-contact", "{\"consent\":true}", "AwaitingTriage")]
    [InlineData("reviews", null, "AwaitingTriage")]
    [InlineData("confirm-still-needed", "{}", "AwaitingTriage")]
    [InlineData("close", "{\"reason\":\"done\",\"riskLevel\":\"standard\"}", "AwaitingTriage")]
    [InlineData("allocate", "{\"practitionerId\":\"practitioner-selby\"}", "AwaitingTriage")]
    public async Task ACommandAtTheWrongStepGets409NamingTheStep(string action, string? body, string step)
    {
        var reference = await _hh.SubmitAsync(_hh.Form());

        var problem = await LifecycleDriver.ProblemAsync(
            await _hh.SendAsync(reference, action, StaffActor.Manager, body is null ? LifecycleDriver.Review() : JsonNode.Parse(body)), HttpStatusCode.Conflict);

        Assert.Contains(step, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AcceptingADeclinedReferralGets409NamingTheDeclinedStep()
    {
        var reference = await _hh.SubmitAsync(_hh.Form());
        await _hh.CommandAsync(reference, "decline", StaffActor.Manager, new JsonObject { ["reason"] = "Outside the criteria", ["category"] = "criteria" });

        var problem = await LifecycleDriver.ProblemAsync(await _hh.SendAsync(reference, "accept", StaffActor.Manager), HttpStatusCode.Conflict);

        Assert.Contains("Declined", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> BadInputs => new()
    {
        { "decline", "{}", "reason" },
        { "decline", "{\"reason\":\"   \"}", "reason" },
        { "decline", "{\"reason\":42}", "reason" },
        { "decline", "{\"reason\":\"x\",\"stage\":\"Closed\"}", "stage" },
        { "first-contact", "{}", "consent" },
        { "first-contact", "{\"consent\":true,\"contactedAt\":\"yesterday\"}", "contactedAt" },
        { "first-contact", "{\"consent\":true,\"contactedAt\":\"2099-01-01T00:00:00Z\"}", "contactedAt" },
        { "reviews", "{\"myWheel\":{\"safety\":5},\"riskLevel\":\"standard\"}", "myWheel" },
        { "reviews", "MYWHEEL11", "myWheel" },
        { "reviews", "REVIEW_NO_RISK", "riskLevel" },
        { "reviews", "{\"riskLevel\":\"critical\"}", "riskLevel" },
        { "reviews", "{\"trafficLights\":{\"school\":\"blue\"}}", "trafficLights.school" },
        { "close", "{\"reason\":\"done\",\"riskLevel\":\"standard\"}", "finalMyWheel" },
        { "accept", "{\"x", "body" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task BadCommandInputGets400ProblemDetailsNamingTheField(string action, string body, string field)
    {
        var reference = await _hh.SubmitAsync(_hh.Form());
        if (action is "first-contact" or "reviews" or "close")
        {
            await _hh.AcceptAsync(reference);
        }

        if (action is "reviews" or "close")
        {
            await _hh.CommandAsync(reference, "first-contact", StaffActor.Selby, new JsonObject { ["consent"] = true });
        }

        var json = body switch
        {
            "MYWHEEL11" => new JsonObject { ["myWheel"] = LifecycleDriver.MyWheel(11), ["riskLevel"] = "standard" }.ToJsonString(),
            "REVIEW_NO_RISK" => new JsonObject { ["myWheel"] = LifecycleDriver.MyWheel() }.ToJsonString(),
            _ => body,
        };
        var before = await _hh.ViewAsync(reference);
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/referrals/{reference}/{action}") { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Actor-Id", action is "reviews" or "close" or "first-contact" ? LifecycleDriver.SelbyPractitioner : "manager-1");
        request.Headers.Add("X-Actor-Role", action is "reviews" or "close" or "first-contact" ? "practitioner" : "manager");

        var problem = await LifecycleDriver.ProblemAsync(await _hh.Client.SendAsync(request), HttpStatusCode.BadRequest);

        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), problem.ToString());
        Assert.False(string.IsNullOrWhiteSpace(messages[0].GetString()));
        Assert.Equal(before.Version, (await _hh.ViewAsync(reference)).Version);
    }

    private static (string Id, string Role) Actor(List<Step> timeline, string type)
    {
        var step = Assert.Single(timeline, s => s.Type == type);
        return (step.ActorId, step.ActorRole);
    }
}
