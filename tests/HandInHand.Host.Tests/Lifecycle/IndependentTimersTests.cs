using System.Collections.Concurrent;
using HandInHand.Domain.Lifecycle;
using HandInHand.Host.Tests.Support;
using HandInHand.Infrastructure.Workflow;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HandInHand.Host.Tests.Lifecycle;

/// <summary>
/// Each referral's timers are its own orchestration's: reminders falling due together are
/// delivered side by side (a slow delivery for one referral holds up no other), and a referral
/// takes its own steps one at a time.
/// </summary>
public sealed class IndependentTimersTests(IndependentTimersTests.SlowReminderFactory factory) : IClassFixture<IndependentTimersTests.SlowReminderFactory>
{
    private const int Referrals = 6;

    private readonly LifecycleDriver _hh = new(factory);

    [Fact]
    public async Task RemindersOfDifferentReferralsFallingDueTogetherAreDeliveredSideBySideAndEachReferralsInTurn()
    {
        // Submitted together, so that their reminders fall due within moments of each other.
        var references = await Task.WhenAll(Enumerable.Range(0, Referrals).Select(_ => _hh.SubmitAsync(_hh.Form(risk: "standard"))));

        // A reminder is recorded before it is handed to the channel: wait for the hand-overs.
        await LifecycleDriver.EventuallyAsync(() => Task.FromResult(factory.Channel.Delivered == Referrals), $"{Referrals} triage reminders delivered");
        foreach (var reference in references)
        {
            Assert.Single(await _hh.NotificationsAsync(reference, NotificationKind.TriageReminder));
        }

        // Each reminder is held for two seconds and they fell due within moments of each other:
        // taken one after another, no two would have overlapped.
        Assert.True(factory.Channel.MostAtOnce >= 2, $"at most {factory.Channel.MostAtOnce} reminders were being delivered at once");
        Assert.Equal(1, factory.Channel.MostAtOnceForOneReferral);
    }

    /// <summary>The app with a triage reminder two seconds after arrival, each delivered slowly.</summary>
    public sealed class SlowReminderFactory : HandInHandFactory
    {
        public OverlappingChannel Channel { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Lifecycle:TriageReminderAfter", "PT2S");
            builder.ConfigureServices(services => services.Replace(ServiceDescriptor.Singleton<INotificationChannel>(sp =>
            {
                Channel.Inner = sp.GetRequiredService<Infrastructure.Notifications.EmailDelivery>();
                return Channel;
            })));
        }
    }

    /// <summary>Holds each triage reminder for two seconds before passing it on, noting the most in progress at once, overall and per referral.</summary>
    public sealed class OverlappingChannel : INotificationChannel
    {
        private readonly ConcurrentDictionary<string, int> _perReferral = new(StringComparer.Ordinal);
        private int _inProgress;
        private int _most;
        private int _mostForOne;
        private int _delivered;

        public INotificationChannel? Inner { get; set; }

        public int MostAtOnce => Volatile.Read(ref _most);

        public int MostAtOnceForOneReferral => Volatile.Read(ref _mostForOne);

        public int Delivered => Volatile.Read(ref _delivered);

        public async Task DeliverAsync(DeliveredNotification notification, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(notification);
            if (notification.Kind != NotificationKind.TriageReminder)
            {
                // Only the reminders are watched: the submissions' own mail goes straight through.
                await Inner!.DeliverAsync(notification, cancellationToken);
                return;
            }

            var now = Interlocked.Increment(ref _inProgress);
            var forOne = _perReferral.AddOrUpdate(notification.Reference, 1, (_, n) => n + 1);
            Raise(ref _most, now);
            Raise(ref _mostForOne, forOne);
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
                await Inner!.DeliverAsync(notification, cancellationToken);
                Interlocked.Increment(ref _delivered);
            }
            finally
            {
                _perReferral.AddOrUpdate(notification.Reference, 0, (_, n) => n - 1);
                Interlocked.Decrement(ref _inProgress);
            }
        }

        private static void Raise(ref int most, int value)
        {
            for (var seen = Volatile.Read(ref most); value > seen; seen = Volatile.Read(ref most))
            {
                if (Interlocked.CompareExchange(ref most, value, seen) == seen)
                {
                    return;
                }
            }
        }
    }
}
