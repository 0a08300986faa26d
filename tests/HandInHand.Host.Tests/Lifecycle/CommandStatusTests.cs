using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using HandInHand.Host.Tests.Support;
using Microsoft.AspNetCore.Hosting;

namespace HandInHand.Host.Tests.Lifecycle;

/// <summary>
/// A command whose outcome does not come within <c>Orchestration:CommandWait</c> answers 202 with
/// the address of its outcome, and that address later gives what the command's own answer would
/// have: the referral after it, or its refusal. The wait is a millisecond here, so every command
/// outlives it.
/// </summary>
public sealed class CommandStatusTests(CommandStatusTests.ImpatientFactory factory) : IClassFixture<CommandStatusTests.ImpatientFactory>
{
    private readonly LifecycleDriver _hh = new(factory);

    [Fact]
    public async Task AQueuedCommandAnswers202WithItsStatusAddressWhichLaterGivesTheReferralAfterIt()
    {
        var reference = await ReceivedAsync();

        var response = await _hh.SendAsync(reference, "accept", StaffActor.Manager, new JsonObject());

        var status = await QueuedAsync(reference, response);
        var answer = await OutcomeAsync(status, StaffActor.Manager);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var view = (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("stage").GetString();
        Assert.Equal("Allocated", view);
        Assert.Equal("Allocated", (await _hh.ViewAsync(reference)).Stage);

        // The address is read as the referral is: not by a practitioner whose case it is not, nor with a made-up id.
        Assert.Equal(HttpStatusCode.NotFound, (await _hh.GetAsync(status, StaffActor.Practitioner("practitioner-york"))).StatusCode);
        await LifecycleDriver.ProblemAsync(await _hh.GetAsync($"/api/referrals/{reference}/commands/not-a-command-id", StaffActor.Manager), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ARefusedQueuedCommandsStatusAnswers409()
    {
        var reference = await ReceivedAsync();

        // Reopening a referral that is still open does not fit the step.
        var response = await _hh.SendAsync(reference, "reopen", StaffActor.Manager, new JsonObject { ["reason"] = "asked again" });

        var status = await QueuedAsync(reference, response);
        var problem = await LifecycleDriver.ProblemAsync(await OutcomeAsync(status, StaffActor.Manager), HttpStatusCode.Conflict);
        Assert.Equal("Not at this step", problem.GetProperty("title").GetString());
        Assert.Equal("AwaitingTriage", (await _hh.ViewAsync(reference)).Stage);
    }

    /// <summary>Submits a referral and waits until its first step is recorded (the submission itself does not wait long enough).</summary>
    private async Task<string> ReceivedAsync()
    {
        var reference = await _hh.SubmitAsync();
        await LifecycleDriver.EventuallyAsync(async () => (await _hh.GetAsync($"/api/referrals/{reference}", StaffActor.Manager)).StatusCode == HttpStatusCode.OK, $"{reference} received");
        return reference;
    }

    /// <summary>Checks a 202 whose Location and body name the command's status address; returns the address.</summary>
    private static async Task<string> QueuedAsync(string reference, HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"expected 202, got {(int)response.StatusCode}: {text}");
        var location = response.Headers.Location?.OriginalString;
        Assert.NotNull(location);
        Assert.Matches($"^/api/referrals/{reference}/commands/[0-9a-f]{{32,64}}$", location);
        Assert.Equal(location, JsonSerializer.Deserialize<JsonElement>(text).GetProperty("status").GetString());
        return location;
    }

    /// <summary>Reads the status address until it no longer answers 202 (the command is decided); returns that answer.</summary>
    private async Task<HttpResponseMessage> OutcomeAsync(string status, StaffActor actor)
    {
        HttpResponseMessage answer = null!;
        await LifecycleDriver.EventuallyAsync(async () => (answer = await _hh.GetAsync(status, actor)).StatusCode != HttpStatusCode.Accepted, $"the outcome at {status}");
        return answer;
    }

    /// <summary>A host that waits a millisecond for a command's outcome.</summary>
    public sealed class ImpatientFactory : HandInHandFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Orchestration:CommandWait", "PT0.001S");
        }
    }
}
