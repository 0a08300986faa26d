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

        var due = await _hh.GetOkAsync<List<DueItem>>("/api/staff/due");
        var missed = Assert.Single(due, d => d.Reference == reference && d.Deadline == nameof(TimerKind.FirstContactDeadline));
        Assert.True(missed.Overdue);
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
