using HandInHand.Domain.Lifecycle;
using HandInHand.Host.Tests.Support;

namespace HandInHand.Host.Tests.Lifecycle;

/// <summary>A clock that fires after it was satisfied does nothing (PRODUCT.md §3): closure stops every case clock.</summary>
public sealed class ClosedCaseTests(HandInHandFactory factory) : IClassFixture<HandInHandFactory>
{
    private static readonly string[] AfterClosure = [nameof(NotificationKind.PartnerFeedbackRequest), nameof(NotificationKind.SurveyInvitation), nameof(NotificationKind.SurveyReminder), nameof(NotificationKind.RetentionReviewDue)];

    private readonly LifecycleDriver _hh = new(factory);

    [Fact]
    public async Task AClosedActiveCaseSendsOnlyTheSurveyAndTheRetentionReviewWhateverTimePasses()
    {
        var reference = await _hh.SubmitAsync(_hh.Form());
        var received = _hh.Now;
        await _hh.ActivateAsync(reference);
        var channel = await _hh.PutContactChannelAsync(reference, StaffActor.Selby, new System.Text.Json.Nodes.JsonObject { ["channel"] = "email", ["address"] = "young@example.org", ["markedSafe"] = true });
        Assert.Equal(System.Net.HttpStatusCode.OK, channel.StatusCode);

        factory.Clock.SetUtcNow(received.AddDays(10));
        var closedAt = _hh.Now;
        var closed = await _hh.CommandAsync(reference, "close", StaffActor.Selby, LifecycleDriver.Closure());
        Assert.Equal("Closed", closed.Stage);
        Assert.Null(closed.NextReviewDue);
        Assert.Equal(
            [nameof(TimerKind.RetentionReview), nameof(TimerKind.SurveyExpiry), nameof(TimerKind.SurveyReminder)],
            closed.Timers.Keys.Order(StringComparer.Ordinal));
        var before = (await _hh.NotificationsAsync(reference)).Count;

        // Past every former deadline: first contact, triage, review reminder and escalation, survey, retention.
        foreach (var moment in new[] { received.AddHours(20), received.AddHours(24), received.AddDays(2), received.AddDays(39), received.AddDays(42), received.AddDays(49), closedAt.AddDays(7), closedAt.AddDays(28), closedAt.AddYears(11) })
        {
            await _hh.TickAtAsync(moment);
            await _hh.TickAsync();
        }

        var sent = (await _hh.NotificationsAsync(reference)).Skip(before).Select(n => n.Kind).ToList();
        Assert.All(sent, kind => Assert.Contains(kind, AfterClosure));
        Assert.Single(sent, nameof(NotificationKind.SurveyReminder));
        Assert.Single(sent, nameof(NotificationKind.RetentionReviewDue));
        Assert.Single(await _hh.NotificationsAsync(reference, NotificationKind.SurveyInvitation));
        Assert.DoesNotContain(await _hh.NotificationsAsync(reference), n => n.Kind.StartsWith("Review", StringComparison.Ordinal) || n.Kind.StartsWith("FirstContact", StringComparison.Ordinal));
        var after = await _hh.ViewAsync(reference);
        Assert.Equal("Closed", after.Stage);
        Assert.Empty(after.Timers);
    }

    [Fact]
    public async Task ACaseClosedBeforeFirstContactNeverRemindsOrEscalatesAndGetsNoSurvey()
    {
        var reference = await _hh.SubmitAsync(_hh.Form());
        var received = _hh.Now;
        await _hh.AcceptAsync(reference);

        factory.Clock.SetUtcNow(received.AddHours(2));
        var closed = await _hh.CommandAsync(reference, "close", StaffActor.Manager, new System.Text.Json.Nodes.JsonObject { ["reason"] = "moved out of area", ["riskLevel"] = "standard" });
        Assert.Equal("Closed", closed.Stage);
        Assert.Equal([nameof(TimerKind.RetentionReview)], closed.Timers.Keys);

        foreach (var moment in new[] { received.AddHours(20), received.AddHours(24), received.AddDays(5), received.AddDays(39), received.AddDays(49) })
        {
            await _hh.TickAtAsync(moment);
        }

        string[] beforeClosure = [nameof(NotificationKind.ReferralAcknowledged), nameof(NotificationKind.ReferralAccepted), nameof(NotificationKind.AllocationNotice)];
        Assert.Equal(
            beforeClosure.Order(StringComparer.Ordinal),
            (await _hh.NotificationsAsync(reference)).Select(n => n.Kind).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(await _hh.TimelineAsync(reference), s => s.Type == "TimerFired");
    }
}
