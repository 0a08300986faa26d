using System.Text.Json.Nodes;
using HandInHand.Domain.Lifecycle;
using HandInHand.Host.Tests.Support;
using Microsoft.AspNetCore.Hosting;

namespace HandInHand.Host.Tests.Lifecycle;

/// <summary>
/// Closure stops every case clock (PRODUCT.md §3): once a case is closed, the moments its former
/// deadlines would have come pass without a word. Shown on the real orchestration worker over
/// Azurite, with every case clock shortened to seconds.
/// </summary>
public sealed class ClosedCaseTests(ClosedCaseTests.ShortCaseClocksFactory factory) : IClassFixture<ClosedCaseTests.ShortCaseClocksFactory>
{
    private static readonly string[] AfterClosure = [nameof(NotificationKind.PartnerFeedbackRequest), nameof(NotificationKind.SurveyInvitation), nameof(NotificationKind.SurveyReminder)];

    // The first reminders of the case come 6 s after arrival and allocation: long enough that the
    // case is closed before them, even on a loaded CI machine.
    private static readonly TimeSpan FirstContactDeadline = TimeSpan.FromSeconds(8);

    private static readonly TimeSpan ReviewEvery = TimeSpan.FromSeconds(8);

    private static readonly TimeSpan ReviewOverdueAfter = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan SurveyReminderAfter = TimeSpan.FromSeconds(3);

    private static readonly TimeSpan SurveyExpiresAfter = TimeSpan.FromSeconds(6);

    /// <summary>How long past a moment a timer that was due then may still be on its way (timers are late by up to ~2 s under load).</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);

    private readonly LifecycleDriver _hh = new(factory);

    [Fact]
    public async Task AClosedActiveCaseSendsOnlyTheSurveyReminderPastEveryFormerDeadline()
    {
        var reference = await _hh.SubmitAsync(_hh.Form());
        var active = await _hh.ActivateAsync(reference);
        var channel = await _hh.PutContactChannelAsync(reference, StaffActor.Selby, new JsonObject { ["channel"] = "email", ["address"] = "young@example.org", ["markedSafe"] = true });
        Assert.Equal(System.Net.HttpStatusCode.OK, channel.StatusCode);
        var before = (await _hh.NotificationsAsync(reference)).Count;

        var closed = await _hh.CommandAsync(reference, "close", StaffActor.Selby, LifecycleDriver.Closure());
        Assert.Equal("Closed", closed.Stage);
        Assert.Null(closed.NextReviewDue);
        Assert.Equal(
            [nameof(TimerKind.RetentionReview), nameof(TimerKind.SurveyExpiry), nameof(TimerKind.SurveyReminder)],
            closed.Timers.Keys.Order(StringComparer.Ordinal));
        var closedAt = Assert.Single(await _hh.TimelineAsync(reference), s => s.Type == "Closed").At;

        // Past every former deadline: first contact, review reminder and escalation, survey reminder and expiry.
        var lastDeadline = new[] { active.ReceivedAt + FirstContactDeadline, active.Timers[nameof(TimerKind.ReviewOverdue)], closedAt + SurveyExpiresAfter }.Max();
        await _hh.NotifiedAsync(reference, NotificationKind.SurveyReminder, within: SurveyReminderAfter + TimeSpan.FromSeconds(15));
        await LifecycleDriver.PastAsync(lastDeadline + Settle);

        var sent = (await _hh.NotificationsAsync(reference)).Skip(before).Select(n => n.Kind).ToList();
        Assert.All(sent, kind => Assert.Contains(kind, AfterClosure));
        Assert.Single(sent, nameof(NotificationKind.SurveyReminder));
        Assert.Single(await _hh.NotificationsAsync(reference, NotificationKind.SurveyInvitation));
        Assert.DoesNotContain(await _hh.NotificationsAsync(reference), n => n.Kind.StartsWith("Review", StringComparison.Ordinal) || n.Kind.StartsWith("FirstContact", StringComparison.Ordinal));
        Assert.Equal(
            new[] { nameof(TimerKind.SurveyReminder), nameof(TimerKind.SurveyExpiry) },
            (await _hh.TimelineAsync(reference)).Where(s => s.Type == "TimerFired").Select(s => s.Details.GetProperty("kind").GetString()));

        // Only the retention review is left: years away, it waits as a chain of durable timers (LongTimerTests).
        var after = await _hh.ViewAsync(reference);
        Assert.Equal("Closed", after.Stage);
        Assert.Equal([nameof(TimerKind.RetentionReview)], after.Timers.Keys);
    }

    [Fact]
    public async Task ACaseClosedBeforeFirstContactNeverRemindsOrEscalatesAndGetsNoSurvey()
    {
        var reference = await _hh.SubmitAsync(_hh.Form());
        var allocated = await _hh.AcceptAsync(reference);
        Assert.Contains(nameof(TimerKind.FirstContactDeadline), allocated.Timers.Keys);
        Assert.Contains(nameof(TimerKind.ReviewOverdue), allocated.Timers.Keys);

        var closed = await _hh.CommandAsync(reference, "close", StaffActor.Manager, new JsonObject { ["reason"] = "moved out of area", ["riskLevel"] = "standard" });
        Assert.Equal("Closed", closed.Stage);
        Assert.Equal([nameof(TimerKind.RetentionReview)], closed.Timers.Keys);

        // Past the first-contact deadline and the review escalation the case had when it was allocated.
        await LifecycleDriver.PastAsync(new[] { allocated.Timers[nameof(TimerKind.FirstContactDeadline)], allocated.Timers[nameof(TimerKind.ReviewOverdue)] }.Max() + Settle);

        string[] beforeClosure = [nameof(NotificationKind.ReferralAcknowledged), nameof(NotificationKind.ReferralAccepted), nameof(NotificationKind.AllocationNotice)];
        Assert.Equal(
            beforeClosure.Order(StringComparer.Ordinal),
            (await _hh.NotificationsAsync(reference)).Select(n => n.Kind).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(await _hh.TimelineAsync(reference), s => s.Type == "TimerFired");
    }

    /// <summary>The host with every case clock of seconds.</summary>
    public sealed class ShortCaseClocksFactory : HandInHandFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Lifecycle:FirstContactDeadline", System.Xml.XmlConvert.ToString(FirstContactDeadline));
            builder.UseSetting("Lifecycle:FirstContactReminderBefore", "PT2S");
            builder.UseSetting("Lifecycle:ReviewEvery", System.Xml.XmlConvert.ToString(ReviewEvery));
            builder.UseSetting("Lifecycle:ReviewReminderBefore", "PT2S");
            builder.UseSetting("Lifecycle:ReviewOverdueAfter", System.Xml.XmlConvert.ToString(ReviewOverdueAfter));
            builder.UseSetting("Lifecycle:SurveyReminderAfter", System.Xml.XmlConvert.ToString(SurveyReminderAfter));
            builder.UseSetting("Lifecycle:SurveyExpiresAfter", System.Xml.XmlConvert.ToString(SurveyExpiresAfter));
        }
    }
}
