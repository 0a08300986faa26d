using System.Globalization;
using System.Text.RegularExpressions;
using HandInHand.Domain.Lifecycle;
using HandInHand.Host.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Xunit.Abstractions;

namespace HandInHand.Host.Tests.Lifecycle;

/// <summary>
/// A timer longer than the backend's longest durable timer (6 days on Azure Storage) is a chain of
/// shorter ones and still fires once, at its due time: it stands for the retention review, years
/// after closure. Shown on the real worker over Azurite with the longest timer shortened to 2 s and
/// a first-contact deadline of 14 s.
/// </summary>
public sealed partial class LongTimerTests(LongTimerTests.ShortMaximumTimerFactory factory, ITestOutputHelper output) : IClassFixture<LongTimerTests.ShortMaximumTimerFactory>
{
    private static readonly TimeSpan MaximumTimer = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(14);

    /// <summary>
    /// The reminder comes a second after arrival, so that once it has fired the orchestration waits
    /// up to 13 s for the deadline, with no command in between: several longest timers even when a
    /// cold host fires the reminder late (it was seen 5 s late on a fresh host).
    /// </summary>
    private static readonly TimeSpan ReminderBefore = TimeSpan.FromSeconds(13);

    private readonly LifecycleDriver _hh = new(factory);

    [Fact]
    public async Task ATimerLongerThanTheLongestDurableTimerIsChainedAndFiresOnceAtItsDueTime()
    {
        var reference = await _hh.SubmitAsync(_hh.Form());
        var view = await _hh.ViewAsync(reference);
        var remindAt = view.ReceivedAt + Deadline - ReminderBefore;
        var deadline = view.ReceivedAt + Deadline;
        Assert.Equal(deadline, view.Timers[nameof(TimerKind.FirstContactDeadline)]);

        await _hh.NotifiedAsync(reference, NotificationKind.FirstContactReminder);
        await _hh.NothingYetAsync(reference, NotificationKind.FirstContactEscalation, deadline);
        var escalation = Assert.Single(await _hh.NotifiedAsync(reference, NotificationKind.FirstContactEscalation));
        Assert.Equal(nameof(Role.Manager), escalation.RecipientRole);

        // The worker scheduled the wait for the deadline as links of at most the longest timer that
        // fire between the reminder and the deadline, then the deadline itself. (Links
        // after it belong to the next wait, for the triage reminder hours away.)
        var fireAts = factory.Logs.Lines
            .Where(l => l.Contains(reference, StringComparison.Ordinal))
            .Select(l => FireAt().Match(l))
            .Where(m => m.Success)
            .Select(m => DateTimeOffset.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal))
            .Distinct()
            .Order()
            .ToList();
        output.WriteLine($"reminder {remindAt:o}, deadline {deadline:o}; timers scheduled: {string.Join(", ", fireAts.Select(at => at.ToString("o", CultureInfo.InvariantCulture)))}");

        // Long enough for a second firing, or a stray link of the chain, to have come.
        await LifecycleDriver.PastAsync(deadline + TimeSpan.FromSeconds(3));
        Assert.Single(await _hh.NotificationsAsync(reference, NotificationKind.FirstContactEscalation));
        var fired = Assert.Single(await _hh.TimelineAsync(reference), s => s.Type == "TimerFired" && s.Details.GetProperty("kind").GetString() == nameof(TimerKind.FirstContactDeadline));
        output.WriteLine($"escalation decided at {fired.At:o}, {(fired.At - deadline).TotalMilliseconds} ms after its due time");
        Assert.Equal(deadline, fired.Details.GetProperty("dueAt").GetDateTimeOffset());
        // Decided at its due time: never before it (a link that woke early waits out the rest),
        // and late only by as much as a loaded 2-core machine makes any timer late (a host's first
        // seconds, with several hosts starting at once, were seen 9 s late).
        Assert.True(fired.At >= deadline, $"decided at {fired.At:o}, {(deadline - fired.At).TotalMilliseconds} ms before its due time");
        Assert.True(fired.At - deadline < TimeSpan.FromSeconds(15), $"decided at {fired.At:o}, {(fired.At - deadline).TotalMilliseconds} ms after its due time");

        // The wait for the deadline began when the reminder was decided; it needs a link for each
        // whole longest timer but the last (a second's slack for the step between generations).
        var reminded = Assert.Single(await _hh.TimelineAsync(reference), s => s.Type == "TimerFired" && s.Details.GetProperty("kind").GetString() == nameof(TimerKind.FirstContactReminder)).At;
        var expected = (int)Math.Ceiling((deadline - reminded - TimeSpan.FromSeconds(1)) / MaximumTimer) - 1;
        Assert.True(expected >= 1, $"the reminder was decided at {reminded:o}, too late to leave a wait longer than the longest timer");
        var links = fireAts.Where(at => at > remindAt && at < deadline).ToList();
        Assert.True(links.Count >= expected, $"timers scheduled: {string.Join(", ", fireAts.Select(at => at.ToString("o", CultureInfo.InvariantCulture)))}; reminder {remindAt:o}, deadline {deadline:o}");
        Assert.Contains(deadline, fireAts);
    }

    /// <summary>DurableTask.Core's log line for each durable timer it schedules ("{instance}: Scheduling {timer} to fire at {time:o}").</summary>
    [GeneratedRegex(@"to fire at (\S+)")]
    private static partial Regex FireAt();

    /// <summary>The host whose longest durable timer is 2 s, with a first-contact clock of seconds.</summary>
    public sealed class ShortMaximumTimerFactory : HandInHandFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Orchestration:MaximumTimerInterval", System.Xml.XmlConvert.ToString(MaximumTimer));
            builder.UseSetting("Lifecycle:FirstContactDeadline", System.Xml.XmlConvert.ToString(Deadline));
            builder.UseSetting("Lifecycle:FirstContactReminderBefore", System.Xml.XmlConvert.ToString(ReminderBefore));
        }
    }
}
