using HandInHand.Domain.Lifecycle;
using HandInHand.Host.Staff;
using HandInHand.Host.Tests.Support;
using Microsoft.AspNetCore.Hosting;

namespace HandInHand.Host.Tests.Lifecycle;

/// <summary>
/// A missed deadline stays in front of the manager until it is met, not only until it escalates.
/// Shown on the real orchestration worker over Azurite, with a first-contact clock of seconds.
/// </summary>
public sealed class MissedDeadlineTests(MissedDeadlineTests.ShortFirstContactFactory factory) : IClassFixture<MissedDeadlineTests.ShortFirstContactFactory>
{
    private readonly LifecycleDriver _hh = new(factory);

    [Fact]
    public async Task AMissedFirstContactStaysOverdueInTheDueViewAfterItsEscalationUntilFirstContactIsRecorded()
    {
        var reference = await _hh.SubmitAsync(_hh.Form());
        var allocated = await _hh.AcceptAsync(reference);
        var deadline = allocated.Timers[nameof(TimerKind.FirstContactDeadline)];

        await _hh.NotifiedAsync(reference, NotificationKind.FirstContactEscalation);
        // A while past the escalation: the deadline is still missed.
        await LifecycleDriver.PastAsync(DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1));

        // The due view reads the case board, which the escalation's step brings up to date with its other effects.
        List<DueItem> due = [];
        await LifecycleDriver.EventuallyAsync(
            async () => (due = await _hh.GetOkAsync<List<DueItem>>("/api/staff/due")).Any(d => d.Reference == reference && d.Deadline == nameof(TimerKind.FirstContactDeadline) && d.Overdue),
            "the missed first contact overdue in the due view");
        var missed = Assert.Single(due, d => d.Reference == reference && d.Deadline == nameof(TimerKind.FirstContactDeadline));
        Assert.Equal(deadline, missed.DueAt);

        await _hh.CommandAsync(reference, "first-contact", StaffActor.Selby, new System.Text.Json.Nodes.JsonObject { ["consent"] = true });

        due = await _hh.GetOkAsync<List<DueItem>>("/api/staff/due");
        Assert.DoesNotContain(due, d => d.Reference == reference && d.Deadline == nameof(TimerKind.FirstContactDeadline));
    }

    /// <summary>The host with a first-contact clock of seconds.</summary>
    public sealed class ShortFirstContactFactory : HandInHandFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Lifecycle:FirstContactDeadline", "PT6S");
            builder.UseSetting("Lifecycle:FirstContactReminderBefore", "PT2S");
        }
    }
}
