using System.Text.Json.Nodes;
using HandInHand.Domain.Lifecycle;
using HandInHand.Host.Tests.Support;
using Microsoft.AspNetCore.Hosting;

namespace HandInHand.Host.Tests.Lifecycle;

/// <summary>
/// The first-contact clock (PRODUCT.md §3): a reminder some time before the deadline, escalation at
/// the deadline. Shown on the real orchestration worker over Azurite, with the 24 hours and the
/// 4 hours shortened to seconds: the durable timers really fire.
/// </summary>
public sealed class FirstContactClockTests(FirstContactClockTests.ShortFirstContactFactory factory) : IClassFixture<FirstContactClockTests.ShortFirstContactFactory>
{
    /// <summary>
    /// Long enough that a referral is submitted and accepted before its reminder is due, even on a
    /// loaded CI machine; short enough that a test waits seconds.
    /// </summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan ReminderBefore = TimeSpan.FromSeconds(4);

    /// <summary>How long past a moment a timer that was due then may still be on its way (timers are late by up to ~2 s under load).</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);

    private readonly LifecycleDriver _hh = new(factory);

    [Fact]
    public async Task WithoutFirstContactThePractitionerIsRemindedBeforeTheDeadlineNotEarlierAndTheManagerIsToldAtTheDeadlineEachExactlyOnce()
    {
        var reference = await _hh.SubmitAsync(_hh.Form());
        var allocated = await _hh.AcceptAsync(reference);
        Assert.Equal("Allocated", allocated.Stage);
        Assert.Equal(LifecycleDriver.SelbyPractitioner, allocated.PractitionerId);
        var remindAt = allocated.ReceivedAt + Deadline - ReminderBefore;
        var deadline = allocated.ReceivedAt + Deadline;
        Assert.Equal(remindAt, allocated.Timers[nameof(TimerKind.FirstContactReminder)]);
        Assert.Equal(deadline, allocated.Timers[nameof(TimerKind.FirstContactDeadline)]);

        await _hh.NothingYetAsync(reference, NotificationKind.FirstContactReminder, remindAt);
        var reminder = Assert.Single(await _hh.NotifiedAsync(reference, NotificationKind.FirstContactReminder));
        Assert.Equal(nameof(Role.Practitioner), reminder.RecipientRole);
        Assert.Equal(LifecycleDriver.SelbyPractitioner, reminder.RecipientId);

        await _hh.NothingYetAsync(reference, NotificationKind.FirstContactEscalation, deadline);
        var escalation = Assert.Single(await _hh.NotifiedAsync(reference, NotificationKind.FirstContactEscalation));
        Assert.Equal(nameof(Role.Manager), escalation.RecipientRole);
        Assert.Null(escalation.RecipientId);

        // Long enough for a second firing of either to have come.
        await LifecycleDriver.PastAsync(deadline + Settle);
        Assert.Single(await _hh.NotificationsAsync(reference, NotificationKind.FirstContactReminder));
        Assert.Single(await _hh.NotificationsAsync(reference, NotificationKind.FirstContactEscalation));

        // Each fired once, decided at or after its due time (a timer that woke early waited out the rest).
        var fired = (await _hh.TimelineAsync(reference)).Where(s => s.Type == "TimerFired").ToList();
        Assert.Equal(
            new[] { nameof(TimerKind.FirstContactReminder), nameof(TimerKind.FirstContactDeadline) },
            fired.Select(s => s.Details.GetProperty("kind").GetString()));
        Assert.Equal(new[] { remindAt, deadline }, fired.Select(s => s.Details.GetProperty("dueAt").GetDateTimeOffset()));
        Assert.All(fired, s => Assert.True(s.At >= s.Details.GetProperty("dueAt").GetDateTimeOffset(), $"{s.Details} decided at {s.At:o}"));
        Assert.All(fired, s => Assert.Equal(nameof(Role.System), s.ActorRole));
    }

    [Fact]
    public async Task WhileNobodyIsAllocatedTheFirstContactReminderGoesToTheManager()
    {
        var reference = await _hh.SubmitAsync(_hh.Form());

        var reminder = Assert.Single(await _hh.NotifiedAsync(reference, NotificationKind.FirstContactReminder));

        Assert.Equal(nameof(Role.Manager), reminder.RecipientRole);
        Assert.Null(reminder.RecipientId);
    }

    [Fact]
    public async Task AnEarlyFirstContactStopsTheClockSoNeitherReminderNorEscalationFollows()
    {
        var reference = await _hh.SubmitAsync(_hh.Form());
        var received = (await _hh.ViewAsync(reference)).ReceivedAt;
        Assert.Equal("Allocated", (await _hh.AcceptAsync(reference)).Stage);

        var contactedAt = _hh.Now;
        var active = await _hh.CommandAsync(reference, "first-contact", StaffActor.Selby, new JsonObject { ["contactedAt"] = contactedAt, ["consent"] = true });

        Assert.Equal("Active", active.Stage);
        Assert.Equal(contactedAt, active.FirstContactAt);
        Assert.DoesNotContain(nameof(TimerKind.FirstContactReminder), active.Timers.Keys);
        Assert.DoesNotContain(nameof(TimerKind.FirstContactDeadline), active.Timers.Keys);
        await NothingAfterAsync(reference, "FirstContactRecorded", received + Deadline + Settle);
    }

    [Fact]
    public async Task AFirstContactWithoutConsentClosesTheCaseAndStopsTheClock()
    {
        var reference = await _hh.SubmitAsync(_hh.Form());
        var received = (await _hh.ViewAsync(reference)).ReceivedAt;
        await _hh.AcceptAsync(reference);

        var closed = await _hh.CommandAsync(reference, "first-contact", StaffActor.Selby, new JsonObject { ["consent"] = false });

        Assert.Equal("Closed", closed.Stage);
        Assert.Equal(ClosureReasons.NoConsent, closed.ClosureReason);
        Assert.Equal([nameof(TimerKind.RetentionReview)], closed.Timers.Keys);
        await NothingAfterAsync(reference, "Closed", received + Deadline + Settle);
    }

    /// <summary>
    /// Waits past <paramref name="moment"/> and checks that no timer fired, and no first-contact
    /// notification was sent, after the step of <paramref name="stepType"/>. On a loaded machine the
    /// reminder may come before the command does (the clock is seconds long), so what is checked is
    /// that the clock stopped there, not that it never ran.
    /// </summary>
    private async Task NothingAfterAsync(string reference, string stepType, DateTimeOffset moment)
    {
        var sentBefore = (await _hh.NotificationsAsync(reference)).Count(n => n.Kind.StartsWith("FirstContact", StringComparison.Ordinal));
        await LifecycleDriver.PastAsync(moment);

        Assert.Equal(sentBefore, (await _hh.NotificationsAsync(reference)).Count(n => n.Kind.StartsWith("FirstContact", StringComparison.Ordinal)));
        var timeline = await _hh.TimelineAsync(reference);
        var stopped = Assert.Single(timeline, s => s.Type == stepType).Sequence;
        Assert.DoesNotContain(timeline, s => s.Type == "TimerFired" && s.Sequence > stopped);

        // An escalation, if one was sent, came from a deadline that passed before the step (the
        // command took longer than the seconds-long clock), never after it.
        var escalated = timeline.Where(s => s.Type == "TimerFired" && s.Details.GetProperty("kind").GetString() == nameof(TimerKind.FirstContactDeadline)).ToList();
        Assert.Equal(escalated.Count, (await _hh.NotificationsAsync(reference, NotificationKind.FirstContactEscalation)).Count);
        Assert.All(escalated, s => Assert.True(s.Sequence < stopped));
    }

    /// <summary>The host with a first-contact clock of seconds.</summary>
    public sealed class ShortFirstContactFactory : HandInHandFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Lifecycle:FirstContactDeadline", System.Xml.XmlConvert.ToString(Deadline));
            builder.UseSetting("Lifecycle:FirstContactReminderBefore", System.Xml.XmlConvert.ToString(ReminderBefore));
        }
    }
}
