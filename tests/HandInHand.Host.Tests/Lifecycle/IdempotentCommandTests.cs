using System.Net;
using System.Text.Json.Nodes;
using HandInHand.Host.Tests.Support;

namespace HandInHand.Host.Tests.Lifecycle;

/// <summary>A staff command retried with the same Idempotency-Key is applied once.</summary>
public sealed class IdempotentCommandTests(HandInHandFactory factory) : IClassFixture<HandInHandFactory>
{
    private readonly LifecycleDriver _hh = new(factory);

    [Fact]
    public async Task AReviewRetriedWithTheSameKeyIsRecordedOnceAndANewKeyRecordsANewReview()
    {
        var reference = await _hh.SubmitAsync(_hh.Form());
        await _hh.ActivateAsync(reference);
        var key = Guid.NewGuid().ToString();

        var first = await _hh.CommandAsync(reference, "reviews", StaffActor.Selby, LifecycleDriver.Review(), key);
        factory.Clock.Advance(TimeSpan.FromMinutes(5));
        var retried = await _hh.CommandAsync(reference, "reviews", StaffActor.Selby, LifecycleDriver.Review(), key);

        Assert.Equal(1, first.ReviewCount);
        Assert.Equal(1, retried.ReviewCount);
        Assert.Equal(first.Version, retried.Version);
        Assert.Equal(first.NextReviewDue, retried.NextReviewDue);
        Assert.Single(await _hh.TimelineAsync(reference), s => s.Type == "ReviewRecorded");

        var another = await _hh.CommandAsync(reference, "reviews", StaffActor.Selby, LifecycleDriver.Review(), Guid.NewGuid().ToString());
        Assert.Equal(2, another.ReviewCount);
    }

    [Fact]
    public async Task ConcurrentRetriesOfOneCommandWithOneKeyApplyItOnce()
    {
        var reference = await _hh.SubmitAsync(_hh.Form());
        await _hh.ActivateAsync(reference);
        var key = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _hh.SendAsync(reference, "reviews", StaffActor.Selby, LifecycleDriver.Review(), key)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Single(await _hh.TimelineAsync(reference), s => s.Type == "ReviewRecorded");
        Assert.Equal(1, (await _hh.ViewAsync(reference)).ReviewCount);
    }

    [Fact]
    public async Task AReopenRetriedWithItsKeyAnswersAsTheFirstTimeInsteadOfAConflict()
    {
        var reference = await _hh.SubmitAsync(_hh.Form());
        await _hh.AcceptAsync(reference);
        await _hh.CommandAsync(reference, "close", StaffActor.Manager, new JsonObject { ["reason"] = "Family moved away", ["riskLevel"] = "standard" });
        var key = Guid.NewGuid().ToString();

        var reopened = await _hh.CommandAsync(reference, "reopen", StaffActor.Manager, new JsonObject { ["reason"] = "Address was wrong" }, key);
        var retried = await _hh.CommandAsync(reference, "reopen", StaffActor.Manager, new JsonObject { ["reason"] = "Address was wrong" }, key);
        var unkeyed = await _hh.SendAsync(reference, "reopen", StaffActor.Manager, new JsonObject { ["reason"] = "Address was wrong" });

        Assert.Equal("Allocated", reopened.Stage);
        Assert.Equal(reopened.Version, retried.Version);
        await LifecycleDriver.ProblemAsync(unkeyed, HttpStatusCode.Conflict);
        Assert.Single(await _hh.TimelineAsync(reference), s => s.Type == "Reopened");
    }
}
