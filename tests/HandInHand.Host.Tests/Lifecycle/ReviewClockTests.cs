using HandInHand.Domain.Lifecycle;
using HandInHand.Host.Staff;
using HandInHand.Host.Tests.Support;
using Microsoft.AspNetCore.Hosting;

namespace HandInHand.Host.Tests.Lifecycle;

/// <summary>
/// Reviews fall due a fixed time after allocation, with a reminder before and escalation after
/// (PRODUCT.md §3: 6 weeks, 3 days, 7 days). Shown on the real orchestration worker over Azurite,
/// with the weeks and days shortened to seconds: the durable timers really fire.
/// </summary>
public sealed class ReviewClockTests(ReviewClockTests.ShortReviewFactory factory) : IClassFixture<ReviewClockTests.ShortReviewFactory>
{
    /// <summary>Long enough that a referral is activated before its reminder is due, even on a loaded CI machine.</summary>
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(20);

    private static readonly TimeSpan ReminderBefore = TimeSpan.FromSeconds(4);

    private static readonly TimeSpan OverdueAfter = TimeSpan.FromSeconds(3);

    /// <summary>How long past a moment a timer that was due then may still be on its way (timers are late by up to ~2 s under load).</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);

    private readonly LifecycleDriver _hh = new(factory);

    [Fact]
    public async Task AReviewFallsDueAfterAllocationWithAReminderToThePractitionerBeforeAndEscalationToTheManagerAfter()
    {
        var reference = await _hh.SubmitAsync(_hh.Form());
        var active = await _hh.ActivateAsync(reference);
        var allocatedAt = Assert.Single(await _hh.TimelineAsync(reference), s => s.Type == "Allocated").At;
        var due = allocatedAt + Every;
        Assert.Equal(due, active.NextReviewDue);
        Assert.Equal(due - ReminderBefore, active.Timers[nameof(TimerKind.ReviewReminder)]);
        Assert.Equal(due + OverdueAfter, active.Timers[nameof(TimerKind.ReviewOverdue)]);

        await _hh.NothingYetAsync(reference, NotificationKind.ReviewReminder, due - ReminderBefore);
        var reminder = Assert.Single(await _hh.NotifiedAsync(reference, NotificationKind.ReviewReminder));
        Assert.Equal(nameof(Role.Practitioner), reminder.RecipientRole);
        Assert.Equal(LifecycleDriver.SelbyPractitioner, reminder.RecipientId);

        // Due, not yet overdue: the review stays due and the manager is not told.
        await LifecycleDriver.PastAsync(due);
        Assert.Equal(due, (await _hh.ViewAsync(reference)).NextReviewDue);
        await _hh.NothingYetAsync(reference, NotificationKind.ReviewOverdueEscalation, due + OverdueAfter);

        var escalation = Assert.Single(await _hh.NotifiedAsync(reference, NotificationKind.ReviewOverdueEscalation));
        Assert.Equal(nameof(Role.Manager), escalation.RecipientRole);
        Assert.Null(escalation.RecipientId);
        // The due view reads the case board, which the escalation's step brings up to date with its other effects.
        DueItem? overdue = null;
        await LifecycleDriver.EventuallyAsync(
            async () => (overdue = (await _hh.GetOkAsync<List<DueItem>>("/api/staff/due")).SingleOrDefault(d => d.Reference == reference && d.Deadline == nameof(TimerKind.ReviewOverdue)))?.Overdue == true,
            "the review overdue in the due view");
        Assert.Equal(due + OverdueAfter, overdue!.DueAt);

        // Long enough for a second firing of either to have come.
        await LifecycleDriver.PastAsync(due + OverdueAfter + Settle);
        Assert.Single(await _hh.NotificationsAsync(reference, NotificationKind.ReviewReminder));
        Assert.Single(await _hh.NotificationsAsync(reference, NotificationKind.ReviewOverdueEscalation));
        var fired = (await _hh.TimelineAsync(reference)).Where(s => s.Type == "TimerFired").ToList();
        Assert.Equal(new[] { due - ReminderBefore, due + OverdueAfter }, fired.Select(s => s.Details.GetProperty("dueAt").GetDateTimeOffset()));
        Assert.All(fired, s => Assert.True(s.At >= s.Details.GetProperty("dueAt").GetDateTimeOffset(), $"{s.Details} decided at {s.At:o}"));
    }

    [Fact]
    public async Task RecordingAReviewReschedulesTheNextOneSoTheOldRemindersNeverFire()
    {
        var reference = await _hh.SubmitAsync(_hh.Form());
        var active = await _hh.ActivateAsync(reference);

        var reviewed = await _hh.CommandAsync(reference, "reviews", StaffActor.Selby, LifecycleDriver.Review(risk: "medium"));

        var reviewedAt = Assert.Single(await _hh.TimelineAsync(reference), s => s.Type == "ReviewRecorded").At;
        var due = reviewedAt + Every;
        Assert.Equal(1, reviewed.ReviewCount);
        Assert.Equal("Medium", reviewed.RiskLevel);
        Assert.Equal(due, reviewed.NextReviewDue);
        Assert.Equal(due - ReminderBefore, reviewed.Timers[nameof(TimerKind.ReviewReminder)]);
        Assert.Equal(due + OverdueAfter, reviewed.Timers[nameof(TimerKind.ReviewOverdue)]);
        Assert.True(due > active.NextReviewDue, "the review moved the schedule");

        // The new schedule runs its course; the first schedule's reminder and escalation, due before
        // it, came and went without a word.
        await _hh.NotifiedAsync(reference, NotificationKind.ReviewOverdueEscalation, within: Every + OverdueAfter + TimeSpan.FromSeconds(10));
        await LifecycleDriver.PastAsync(due + OverdueAfter + TimeSpan.FromSeconds(1));
        Assert.Single(await _hh.NotificationsAsync(reference, NotificationKind.ReviewReminder));
        Assert.Single(await _hh.NotificationsAsync(reference, NotificationKind.ReviewOverdueEscalation));
        var fired = (await _hh.TimelineAsync(reference)).Where(s => s.Type == "TimerFired").ToList();
        Assert.Equal(new[] { due - ReminderBefore, due + OverdueAfter }, fired.Select(s => s.Details.GetProperty("dueAt").GetDateTimeOffset()));
    }

    /// <summary>The host with a review clock of seconds.</summary>
    public sealed class ShortReviewFactory : HandInHandFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Lifecycle:ReviewEvery", System.Xml.XmlConvert.ToString(Every));
            builder.UseSetting("Lifecycle:ReviewReminderBefore", System.Xml.XmlConvert.ToString(ReminderBefore));
            builder.UseSetting("Lifecycle:ReviewOverdueAfter", System.Xml.XmlConvert.ToString(OverdueAfter));
        }
    }
}
