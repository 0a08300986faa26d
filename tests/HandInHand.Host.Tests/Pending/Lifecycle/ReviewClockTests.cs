using HandInHand.Domain.Lifecycle;
using HandInHand.Host.Tests.Support;

namespace HandInHand.Host.Tests.Lifecycle;

/// <summary>Reviews every 6 weeks from allocation: a reminder 3 days before, escalation 7 days after (PRODUCT.md §3).</summary>
public sealed class ReviewClockTests(HandInHandFactory factory) : IClassFixture<HandInHandFactory>
{
    private readonly LifecycleDriver _hh = new(factory);

    [Fact]
    public async Task AReviewFallsDue42DaysAfterAllocationWithAReminderToThePractitionerThreeDaysBeforeAndEscalationToTheManagerSevenDaysAfter()
    {
        var reference = await _hh.SubmitAsync(_hh.Form());
        var allocatedAt = _hh.Now;
        var active = await _hh.ActivateAsync(reference);
        var due = allocatedAt.AddDays(42);
        Assert.Equal(due, active.NextReviewDue);
        Assert.Equal(due.AddDays(-3), active.Timers[nameof(TimerKind.ReviewReminder)]);
        Assert.Equal(due.AddDays(7), active.Timers[nameof(TimerKind.ReviewOverdue)]);

        await _hh.TickAtAsync(due.AddDays(-3).AddMinutes(-1));
        Assert.Empty(await _hh.NotificationsAsync(reference, NotificationKind.ReviewReminder));

        await _hh.TickAtAsync(due.AddDays(-3));
        await _hh.TickAsync();
        var reminder = Assert.Single(await _hh.NotificationsAsync(reference, NotificationKind.ReviewReminder));
        Assert.Equal(nameof(Role.Practitioner), reminder.RecipientRole);
        Assert.Equal(LifecycleDriver.SelbyPractitioner, reminder.RecipientId);

        await _hh.TickAtAsync(due);
        await _hh.TickAtAsync(due.AddDays(7).AddMinutes(-1));
        Assert.Empty(await _hh.NotificationsAsync(reference, NotificationKind.ReviewOverdueEscalation));

        await _hh.TickAtAsync(due.AddDays(7));
        await _hh.TickAsync();
        await _hh.TickAtAsync(due.AddDays(30));

        var escalation = Assert.Single(await _hh.NotificationsAsync(reference, NotificationKind.ReviewOverdueEscalation));
        Assert.Equal(nameof(Role.Manager), escalation.RecipientRole);
        Assert.Single(await _hh.NotificationsAsync(reference, NotificationKind.ReviewReminder));
    }

    [Fact]
    public async Task RecordingAReviewReschedulesTheNextOneSoTheOldRemindersNeverFire()
    {
        var reference = await _hh.SubmitAsync(_hh.Form());
        var allocatedAt = _hh.Now;
        await _hh.ActivateAsync(reference);

        factory.Clock.SetUtcNow(allocatedAt.AddDays(20));
        var reviewedAt = _hh.Now;
        var reviewed = await _hh.CommandAsync(reference, "reviews", StaffActor.Selby, LifecycleDriver.Review(risk: "medium"));

        var due = reviewedAt.AddDays(42);
        Assert.Equal(1, reviewed.ReviewCount);
        Assert.Equal("Medium", reviewed.RiskLevel);
        Assert.Equal(due, reviewed.NextReviewDue);
        Assert.Equal(due.AddDays(-3), reviewed.Timers[nameof(TimerKind.ReviewReminder)]);
        Assert.Equal(due.AddDays(7), reviewed.Timers[nameof(TimerKind.ReviewOverdue)]);

        // The first schedule's reminder and escalation come and go without a word.
        await _hh.TickAtAsync(allocatedAt.AddDays(39));
        await _hh.TickAtAsync(allocatedAt.AddDays(49));
        Assert.Empty(await _hh.NotificationsAsync(reference, NotificationKind.ReviewReminder));
        Assert.Empty(await _hh.NotificationsAsync(reference, NotificationKind.ReviewOverdueEscalation));

        await _hh.TickAtAsync(due.AddDays(-3));
        var reminder = Assert.Single(await _hh.NotificationsAsync(reference, NotificationKind.ReviewReminder));
        Assert.Equal(LifecycleDriver.SelbyPractitioner, reminder.RecipientId);
        Assert.Equal(due.AddDays(-3), reminder.DeliveredAt);
    }
}
