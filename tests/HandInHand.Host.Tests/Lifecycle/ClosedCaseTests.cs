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
    // The first reminders of the case come 6 s after arrival and allocation: usually after the case
    // is closed; what the tests check holds either way.
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

        var closed = await _hh.CommandAsync(reference, "close", StaffActor.Selby, LifecycleDriver.Closure());
        var atClosure = await _hh.NotificationsAsync(reference);
        Assert.Equal("Closed", closed.Stage);
        Assert.Null(closed.NextReviewDue);
        Assert.Equal(
            [nameof(TimerKind.RetentionReview), nameof(TimerKind.SurveyExpiry), nameof(TimerKind.SurveyReminder)],
            closed.Timers.Keys.Order(StringComparer.Ordinal));
        var closure = Assert.Single(await _hh.TimelineAsync(reference), s => s.Type == "Closed");
        var closedAt = closure.At;

        // Past every former deadline: first contact, review reminder and escalation, survey reminder and expiry.
        var lastDeadline = new[] { active.ReceivedAt + FirstContactDeadline, active.Timers[nameof(TimerKind.ReviewOverdue)], closedAt + SurveyExpiresAfter }.Max();
        await _hh.NotifiedAsync(reference, NotificationKind.SurveyReminder, within: SurveyReminderAfter + TimeSpan.FromSeconds(15));
        await LifecycleDriver.PastAsync(lastDeadline + Settle);

        // On a loaded machine a timer may fire seconds late: the survey's expiry, the last of them, must have fired.
        await LifecycleDriver.EventuallyAsync(async () => !(await _hh.ViewAsync(reference)).Timers.ContainsKey(nameof(TimerKind.SurveyExpiry)), "the survey's expiry fired");
        await LifecycleDriver.PastAsync(DateTimeOffset.UtcNow + Settle);

        // What was sent after closure, whatever came before it (on a loaded machine a reminder may
        // come before the case is closed: the clocks are seconds long).
        var sent = SentSince(atClosure, await _hh.NotificationsAsync(reference));
        Assert.Equal([nameof(NotificationKind.SurveyReminder)], sent);
        Assert.Single(await _hh.NotificationsAsync(reference, NotificationKind.SurveyInvitation));
        Assert.Equal(
            new[] { nameof(TimerKind.SurveyReminder), nameof(TimerKind.SurveyExpiry) },
            (await _hh.TimelineAsync(reference)).Where(s => s.Type == "TimerFired" && s.Sequence > closure.Sequence).Select(s => s.Details.GetProperty("kind").GetString()));

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
        var atClosure = await _hh.NotificationsAsync(reference);
        Assert.Equal("Closed", closed.Stage);
        Assert.Equal([nameof(TimerKind.RetentionReview)], closed.Timers.Keys);

        // Past the first-contact deadline and the review escalation the case had when it was allocated.
        await LifecycleDriver.PastAsync(new[] { allocated.Timers[nameof(TimerKind.FirstContactDeadline)], allocated.Timers[nameof(TimerKind.ReviewOverdue)] }.Max() + Settle);

        // Nothing after closure, and no survey; a reminder may have come before it on a loaded machine.
        Assert.Empty(SentSince(atClosure, await _hh.NotificationsAsync(reference)));
        Assert.DoesNotContain(atClosure, n => n.Kind.StartsWith("Survey", StringComparison.Ordinal));
        Assert.Contains(atClosure, n => n.Kind == nameof(NotificationKind.AllocationNotice));
        var timeline = await _hh.TimelineAsync(reference);
        var closure = Assert.Single(timeline, s => s.Type == "Closed");
        Assert.DoesNotContain(timeline, s => s.Type == "TimerFired" && s.Sequence > closure.Sequence);
    }

    /// <summary>The kinds in <paramref name="now"/> beyond those in <paramref name="then"/>, counted kind by kind (the log's order among notifications of one moment is not the order they were sent in).</summary>
    private static List<string> SentSince(List<Sent> then, List<Sent> now) =>
        [.. now.GroupBy(n => n.Kind).SelectMany(g => Enumerable.Repeat(g.Key, g.Count() - then.Count(n => n.Kind == g.Key)))];

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
