using Azure.Messaging.ServiceBus;
using HandInHand.Host.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HandInHand.Host.Tests.Messaging;

/// <summary>
/// The app with Service Bus as its notifications transport, its one <see cref="ServiceBusClient"/>
/// replaced by <see cref="DeadLetterQueueClient"/> over <see cref="DeadLetters"/>; storage is the test
/// run's Azurite. Batches are small so that a test can reach the drain's bound.
/// </summary>
internal class ServiceBusHandInHandFactory : HandInHandFactory
{
    public const int BatchSize = 2;
    public const int MaxBatches = 3;

    public ServiceBusHandInHandFactory()
    {
        Client = new DeadLetterQueueClient(DeadLetters);
    }

    public DeadLetterQueueReceiver DeadLetters { get; } = new("notifications/$deadletterqueue");

    public DeadLetterQueueClient Client { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Transport:Notifications", "ServiceBus");
        builder.UseSetting("ServiceBus:FullyQualifiedNamespace", "https://handinhand-test.servicebus.windows.net");
        builder.UseSetting("ServiceBus:DeadLetterBatchSize", BatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("ServiceBus:DeadLetterMaxBatches", MaxBatches.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.ConfigureServices(services => services.Replace(ServiceDescriptor.Singleton<ServiceBusClient>(Client)));
    }
}
