using System.Text.Json.Nodes;
using HandInHand.Domain.Lifecycle;
using HandInHand.Host.Tests.Support;

namespace HandInHand.Host.Tests.Lifecycle;

/// <summary>The 24-hour first-contact clock (PRODUCT.md §3): a reminder 4 hours before, escalation at the deadline.</summary>
public sealed class FirstContactClockTests(HandInHandFactory factory) : IClassFixture<HandInHandFactory>
{
    private readonly LifecycleDriver _hh = new(factory);

    [Fact]
    public async Task WithoutFirstContactThePractitionerIsRemindedAt20HoursNotBeforeAndTheManagerIsToldAt24HoursEachExactlyOnce()
    {
        var reference = await _hh.SubmitAsync(_hh.Form());
        var allocated = await _hh.AcceptAsync(reference);
        Assert.Equal("Allocated", allocated.Stage);
        Assert.Equal(LifecycleDriver.SelbyPractitioner, allocated.PractitionerId);
        var received = allocated.ReceivedAt;

        await _hh.TickAtAsync(received.AddHours(20).AddMinutes(-1));
        Assert.Empty(await _hh.NotificationsAsync(reference, NotificationKind.FirstContactReminder));

        await _hh.TickAtAsync(received.AddHours(20));
        var reminder = Assert.Single(await _hh.NotificationsAsync(reference, NotificationKind.FirstContactReminder));
        Assert.Equal(nameof(Role.Practitioner), reminder.RecipientRole);
        Assert.Equal(LifecycleDriver.SelbyPractitioner, reminder.RecipientId);
        Assert.Empty(await _hh.NotificationsAsync(reference, NotificationKind.FirstContactEscalation));

        await _hh.TickAsync();
        await _hh.TickAtAsync(received.AddHours(24).AddSeconds(-1));
        Assert.Empty(await _hh.NotificationsAsync(reference, NotificationKind.FirstContactEscalation));

        // The deadline passes while several dispatchers tick at once.
        factory.Clock.SetUtcNow(received.AddHours(24));
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => _hh.TickAsync()));
        await _hh.TickAsync();
        await _hh.TickAtAsync(received.AddHours(30));
        await _hh.TickAtAsync(received.AddDays(3));

        var escalation = Assert.Single(await _hh.NotificationsAsync(reference, NotificationKind.FirstContactEscalation));
        Assert.Equal(nameof(Role.Manager), escalation.RecipientRole);
        Assert.Null(escalation.RecipientId);
        Assert.Equal(received.AddHours(24), escalation.DeliveredAt);
        Assert.Single(await _hh.NotificationsAsync(reference, NotificationKind.FirstContactReminder));

        var timeline = await _hh.TimelineAsync(reference);
        Assert.Equal(2, timeline.Count(s => s.Type == "TimerFired" && s.Details.GetProperty("kind").GetString() is "FirstContactReminder" or "FirstContactDeadline"));
        Assert.All(timeline.Where(s => s.Type == "TimerFired"), s => Assert.Equal(nameof(Role.System), s.ActorRole));
    }

    [Fact]
    public async Task WhileNobodyIsAllocatedTheFirstContactReminderGoesToTheManager()
    {
        var reference = await _hh.SubmitAsync(_hh.Form());
        var received = (await _hh.ViewAsync(reference)).ReceivedAt;

        await _hh.TickAtAsync(received.AddHours(20));

        var reminder = Assert.Single(await _hh.NotificationsAsync(reference, NotificationKind.FirstContactReminder));
        Assert.Equal(nameof(Role.Manager), reminder.RecipientRole);
        Assert.Null(reminder.RecipientId);
    }

    [Fact]
    public async Task AFirstContactRecordedAtThreeHoursStopsTheClockSoNeitherReminderNorEscalationIsSent()
    {
        var reference = await _hh.SubmitAsync(_hh.Form());
        var received = (await _hh.ViewAsync(reference)).ReceivedAt;
        factory.Clock.SetUtcNow(received.AddMinutes(30));
        Assert.Equal("Allocated", (await _hh.AcceptAsync(reference)).Stage);

        factory.Clock.SetUtcNow(received.AddHours(3));
        var active = await _hh.CommandAsync(reference, "first-contact", StaffActor.Selby, new JsonObject { ["contactedAt"] = received.AddHours(3), ["consent"] = true });

        Assert.Equal("Active", active.Stage);
        Assert.Equal(received.AddHours(3), active.FirstContactAt);
        Assert.DoesNotContain(nameof(TimerKind.FirstContactReminder), active.Timers.Keys);
        Assert.DoesNotContain(nameof(TimerKind.FirstContactDeadline), active.Timers.Keys);
        foreach (var hours in new[] { 19, 20, 21, 24, 25, 48 })
        {
            await _hh.TickAtAsync(received.AddHours(hours));
        }

        Assert.Empty(await _hh.NotificationsAsync(reference, NotificationKind.FirstContactReminder));
        Assert.Empty(await _hh.NotificationsAsync(reference, NotificationKind.FirstContactEscalation));
        Assert.DoesNotContain(await _hh.TimelineAsync(reference), s => s.Type == "TimerFired");
    }

    [Fact]
    public async Task AFirstContactWithoutConsentClosesTheCaseAndStopsTheClock()
    {
        var reference = await _hh.SubmitAsync(_hh.Form());
        var received = (await _hh.ViewAsync(reference)).ReceivedAt;
        await _hh.AcceptAsync(reference);

        factory.Clock.SetUtcNow(received.AddHours(2));
        var closed = await _hh.CommandAsync(reference, "first-contact", StaffActor.Selby, new JsonObject { ["consent"] = false });
        await _hh.TickAtAsync(received.AddDays(2));

        Assert.Equal("Closed", closed.Stage);
        Assert.Equal(ClosureReasons.NoConsent, closed.ClosureReason);
        Assert.Equal([nameof(TimerKind.RetentionReview)], closed.Timers.Keys);
        Assert.DoesNotContain(await _hh.NotificationsAsync(reference), n => n.Kind.StartsWith("FirstContact", StringComparison.Ordinal));
    }
}
