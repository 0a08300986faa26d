using System.Text.Json.Nodes;
using HandInHand.Domain.Lifecycle;
using HandInHand.Host.Staff;
using HandInHand.Host.Tests.Support;

namespace HandInHand.Host.Tests.Lifecycle;

/// <summary>"More information needed": the referrer is asked, reminded after 3 days, and the referral closes as no-response after 10.</summary>
public sealed class InformationRequestTests(HandInHandFactory factory) : IClassFixture<HandInHandFactory>
{
    private readonly LifecycleDriver _hh = new(factory);

    [Fact]
    public async Task AnUnansweredRequestRemindsTheReferrerAfter3DaysClosesAsNoResponseAfter10AndReopeningReturnsItToTriage()
    {
        var reference = await _hh.SubmitAsync(_hh.Form());
        factory.Clock.Advance(TimeSpan.FromHours(1));
        var askedAt = _hh.Now;
        var asked = await _hh.CommandAsync(reference, "request-information", StaffActor.Manager);
        Assert.Equal("AwaitingInformation", asked.Stage);
        Assert.Equal(nameof(Role.Referrer), Assert.Single(await _hh.NotificationsAsync(reference, NotificationKind.InformationRequested)).RecipientRole);

        await _hh.TickAtAsync(askedAt.AddDays(3).AddMinutes(-1));
        Assert.Empty(await _hh.NotificationsAsync(reference, NotificationKind.InformationReminder));
        await _hh.TickAtAsync(askedAt.AddDays(3));
        await _hh.TickAsync();
        var reminder = Assert.Single(await _hh.NotificationsAsync(reference, NotificationKind.InformationReminder));
        Assert.Equal(nameof(Role.Referrer), reminder.RecipientRole);

        await _hh.TickAtAsync(askedAt.AddDays(10).AddMinutes(-1));
        Assert.Equal("AwaitingInformation", (await _hh.ViewAsync(reference)).Stage);
        await _hh.TickAtAsync(askedAt.AddDays(10));
        await _hh.TickAsync();

        var closed = await _hh.ViewAsync(reference);
        Assert.Equal("Closed", closed.Stage);
        Assert.Equal(ClosureReasons.NoResponse, closed.ClosureReason);
        Assert.Equal(nameof(Role.Referrer), Assert.Single(await _hh.NotificationsAsync(reference, NotificationKind.ClosedNoResponse)).RecipientRole);
        var closure = Assert.Single(await _hh.TimelineAsync(reference), s => s.Type == "Closed");
        Assert.Equal(nameof(Role.System), closure.ActorRole);
        Assert.DoesNotContain(await TriageQueueAsync(), q => q.Reference == reference);

        factory.Clock.Advance(TimeSpan.FromDays(1));
        var reopenedAt = _hh.Now;
        var reopened = await _hh.CommandAsync(reference, "reopen", StaffActor.Manager, new JsonObject { ["reason"] = "The referrer phoned with the details" });

        Assert.Equal("AwaitingTriage", reopened.Stage);
        Assert.Null(reopened.ClosureReason);
        var queued = Assert.Single(await TriageQueueAsync(), q => q.Reference == reference);
        Assert.Equal("AwaitingTriage", queued.Stage);
        Assert.Equal(WorkingDays.Add(reopenedAt, 1), queued.TriageDueAt);
        var reopening = Assert.Single(await _hh.TimelineAsync(reference), s => s.Type == "Reopened");
        Assert.Equal(StaffActor.Manager.Id, reopening.ActorId);
        Assert.Equal(nameof(Role.Manager), reopening.ActorRole);
    }

    [Fact]
    public async Task InformationReceivedInTimeStopsTheReminderAndTheNoResponseClosureAndRestartsTriage()
    {
        var reference = await _hh.SubmitAsync(_hh.Form());
        var askedAt = _hh.Now;
        await _hh.CommandAsync(reference, "request-information", StaffActor.Manager);

        factory.Clock.SetUtcNow(askedAt.AddDays(1));
        Assert.Equal("Received", (await _hh.ReferrerAsync(reference, "information")).Status);
        var answered = await _hh.ViewAsync(reference);
        Assert.Equal("AwaitingTriage", answered.Stage);
        Assert.DoesNotContain(nameof(TimerKind.InformationReminder), answered.Timers.Keys);
        Assert.DoesNotContain(nameof(TimerKind.InformationDeadline), answered.Timers.Keys);

        await _hh.TickAtAsync(askedAt.AddDays(3));
        await _hh.TickAtAsync(askedAt.AddDays(10));

        Assert.Empty(await _hh.NotificationsAsync(reference, NotificationKind.InformationReminder));
        Assert.Empty(await _hh.NotificationsAsync(reference, NotificationKind.ClosedNoResponse));
        Assert.Equal("AwaitingTriage", (await _hh.ViewAsync(reference)).Stage);
        var received = Assert.Single(await _hh.TimelineAsync(reference), s => s.Type == "InformationReceived");
        Assert.Equal(nameof(Role.Referrer), received.ActorRole);
    }

    private Task<List<QueueItem>> TriageQueueAsync() => _hh.GetOkAsync<List<QueueItem>>("/api/staff/triage-queue");
}
