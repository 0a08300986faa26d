using System.Collections.Concurrent;
using HandInHand.Domain.Lifecycle;
using HandInHand.Host.Tests.Support;
using HandInHand.Infrastructure.Workflow;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HandInHand.Host.Tests.Lifecycle;

/// <summary>
/// A tick works many referrals' due timers side by side (a minute's worth of reminders must not
/// queue behind one another), but never two steps of the same referral at once.
/// </summary>
public sealed class DispatcherParallelismTests(DispatcherParallelismTests.OverlapFactory factory) : IClassFixture<DispatcherParallelismTests.OverlapFactory>
{
    private readonly LifecycleDriver _hh = new(factory);

    [Fact]
    public async Task OneTickDeliversTheRemindersOfDifferentReferralsAtTheSameTimeAndEachReferralsInTurn()
    {
        var references = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            references.Add(await _hh.SubmitAsync(_hh.Form(risk: "standard")));
        }

        // Let the acknowledgements and other mail of the submissions go before watching.
        factory.Channel.Reset();
        var settings = factory.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<LifecycleSettings>>().Value;
        var report = await _hh.TickAtAsync(_hh.Now + settings.TriageReminderAfter + TimeSpan.FromMinutes(1));

        Assert.True(report.Fired >= references.Count, $"fired {report.Fired}");
        foreach (var reference in references)
        {
            Assert.Single(await _hh.NotificationsAsync(reference, NotificationKind.TriageReminder));
        }

        Assert.True(factory.Channel.MostAtOnce >= 2, $"at most {factory.Channel.MostAtOnce} deliveries were in progress at once");
        Assert.Equal(1, factory.Channel.MostAtOnceForOneReferral);
    }

    /// <summary>The app with a delivery channel that holds each delivery briefly and counts how many overlap.</summary>
    public sealed class OverlapFactory : HandInHandFactory
    {
        public OverlappingChannel Channel { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Workflow:TickParallelism", "4");
            builder.ConfigureServices(services => services.Replace(ServiceDescriptor.Singleton<INotificationChannel>(sp =>
            {
                Channel.Inner = sp.GetRequiredService<Infrastructure.Notifications.EmailDelivery>();
                return Channel;
            })));
        }
    }

    /// <summary>Passes each delivery on after a short hold, noting the most in progress at once, overall and per referral.</summary>
    public sealed class OverlappingChannel : INotificationChannel
    {
        private readonly ConcurrentDictionary<string, int> _perReferral = new(StringComparer.Ordinal);
        private int _inProgress;
        private int _most;
        private int _mostForOne;

        public INotificationChannel? Inner { get; set; }

        public int MostAtOnce => Volatile.Read(ref _most);

        public int MostAtOnceForOneReferral => Volatile.Read(ref _mostForOne);

        public void Reset()
        {
            Volatile.Write(ref _most, 0);
            Volatile.Write(ref _mostForOne, 0);
        }

        public async Task DeliverAsync(DeliveredNotification notification, CancellationToken cancellationToken = default)
        {
            var now = Interlocked.Increment(ref _inProgress);
            var forOne = _perReferral.AddOrUpdate(notification.Reference, 1, (_, n) => n + 1);
            Raise(ref _most, now);
            Raise(ref _mostForOne, forOne);
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(300), cancellationToken);
                await Inner!.DeliverAsync(notification, cancellationToken);
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
