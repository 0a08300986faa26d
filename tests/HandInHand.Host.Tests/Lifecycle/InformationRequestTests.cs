using System.Text.Json.Nodes;
using HandInHand.Domain.Lifecycle;
using HandInHand.Host.Staff;
using HandInHand.Host.Tests.Support;
using Microsoft.AspNetCore.Hosting;

namespace HandInHand.Host.Tests.Lifecycle;

/// <summary>
/// "More information needed": the referrer is asked, reminded after a while (3 days in
/// production), and the referral closes as no-response after longer (10 days). The clocks are
/// seconds here so that the real durable timers fire during the test.
/// </summary>
public sealed class InformationRequestTests(InformationRequestTests.ShortInformationClocks factory) : IClassFixture<InformationRequestTests.ShortInformationClocks>
{
    private static readonly TimeSpan ReminderAfter = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(14);

    private readonly LifecycleDriver _hh = new(factory);

    [Fact]
    public async Task AnUnansweredRequestRemindsTheReferrerAfter3DaysClosesAsNoResponseAfter10AndReopeningReturnsItToTriage()
    {
        var reference = await _hh.SubmitAsync(_hh.Form());
        var asked = await _hh.CommandAsync(reference, "request-information", StaffActor.Manager);
        Assert.Equal("AwaitingInformation", asked.Stage);
        Assert.Equal(nameof(Role.Referrer), Assert.Single(await _hh.NotificationsAsync(reference, NotificationKind.InformationRequested)).RecipientRole);
        var askedAt = Assert.Single(await _hh.TimelineAsync(reference), s => s.Type == "InformationRequested").At;
        var reminderDue = asked.Timers[nameof(TimerKind.InformationReminder)];
        var deadlineDue = asked.Timers[nameof(TimerKind.InformationDeadline)];
        Assert.Equal(askedAt + ReminderAfter, reminderDue);
        Assert.Equal(askedAt + Deadline, deadlineDue);

        var reminder = Assert.Single(await _hh.NotifiedAsync(reference, NotificationKind.InformationReminder));
        Assert.True(DateTimeOffset.UtcNow >= reminderDue, $"the reminder came before {reminderDue:O}");
        Assert.Equal(nameof(Role.Referrer), reminder.RecipientRole);
        Assert.Equal("AwaitingInformation", (await _hh.ViewAsync(reference)).Stage);

        await LifecycleDriver.EventuallyAsync(async () => (await _hh.ViewAsync(reference)).Stage == "Closed", $"{reference} closed as no-response");
        var closed = await _hh.ViewAsync(reference);
        Assert.Equal(ClosureReasons.NoResponse, closed.ClosureReason);
        Assert.Equal(nameof(Role.Referrer), Assert.Single(await _hh.NotifiedAsync(reference, NotificationKind.ClosedNoResponse)).RecipientRole);
        var closure = Assert.Single(await _hh.TimelineAsync(reference), s => s.Type == "Closed");
        Assert.Equal(nameof(Role.System), closure.ActorRole);
        Assert.True(closure.At >= deadlineDue, $"closed at {closure.At:O}, before the deadline {deadlineDue:O}");
        Assert.Single(await _hh.NotificationsAsync(reference, NotificationKind.InformationReminder));

        // The staff views read the case board, which the closing step's effects bring up to date.
        await LifecycleDriver.EventuallyAsync(async () => !(await TriageQueueAsync()).Any(q => q.Reference == reference), $"{reference} off the triage queue");

        var reopened = await _hh.CommandAsync(reference, "reopen", StaffActor.Manager, new JsonObject { ["reason"] = "The referrer phoned with the details" });

        Assert.Equal("AwaitingTriage", reopened.Stage);
        Assert.Null(reopened.ClosureReason);
        var reopening = Assert.Single(await _hh.TimelineAsync(reference), s => s.Type == "Reopened");
        Assert.Equal(StaffActor.Manager.Id, reopening.ActorId);
        Assert.Equal(nameof(Role.Manager), reopening.ActorRole);
        var queued = Assert.Single(await TriageQueueAsync(), q => q.Reference == reference);
        Assert.Equal("AwaitingTriage", queued.Stage);
        Assert.Equal(WorkingDays.Add(reopening.At, 1), queued.TriageDueAt);
    }

    [Fact]
    public async Task InformationReceivedInTimeStopsTheReminderAndTheNoResponseClosureAndRestartsTriage()
    {
        var reference = await _hh.SubmitAsync(_hh.Form());
        var asked = await _hh.CommandAsync(reference, "request-information", StaffActor.Manager);
        var deadlineDue = asked.Timers[nameof(TimerKind.InformationDeadline)];

        Assert.Equal("Received", (await _hh.ReferrerAsync(reference, "information")).Status);
        var answered = await _hh.ViewAsync(reference);
        Assert.Equal("AwaitingTriage", answered.Stage);
        Assert.DoesNotContain(nameof(TimerKind.InformationReminder), answered.Timers.Keys);
        Assert.DoesNotContain(nameof(TimerKind.InformationDeadline), answered.Timers.Keys);
        var received = Assert.Single(await _hh.TimelineAsync(reference), s => s.Type == "InformationReceived");
        Assert.True(received.At < asked.Timers[nameof(TimerKind.InformationReminder)], "the answer came too late to test that it stops the reminder");

        // Past the moment the deadline would have closed it, with room for a late timer.
        await LifecycleDriver.PastAsync(deadlineDue + TimeSpan.FromSeconds(3));

        Assert.Empty(await _hh.NotificationsAsync(reference, NotificationKind.InformationReminder));
        Assert.Empty(await _hh.NotificationsAsync(reference, NotificationKind.ClosedNoResponse));
        Assert.Equal("AwaitingTriage", (await _hh.ViewAsync(reference)).Stage);
        Assert.Equal(nameof(Role.Referrer), received.ActorRole);
    }

    private Task<List<QueueItem>> TriageQueueAsync() => _hh.GetOkAsync<List<QueueItem>>("/api/staff/triage-queue");

    /// <summary>The app with information-request clocks of seconds.</summary>
    public sealed class ShortInformationClocks : HandInHandFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Lifecycle:InformationReminderAfter", System.Xml.XmlConvert.ToString(ReminderAfter));
            builder.UseSetting("Lifecycle:InformationDeadline", System.Xml.XmlConvert.ToString(Deadline));
        }
    }
}
