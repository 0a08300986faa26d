using Azure.Identity;
using Azure.Messaging.ServiceBus;
using HandInHand.Host.Functions;
using HandInHand.Infrastructure.Messaging;
using HandInHand.Infrastructure.Workflow;
using Microsoft.Extensions.Options;

namespace HandInHand.Host.Setup;

/// <summary>
/// Registers how work leaves the app: the transport switch (<c>Transport:IntegrationEvents</c> =
/// <c>None</c> | <c>ServiceBus</c>), the Service Bus sender for lifecycle events, and the jobs the timers
/// run (the Functions app's timer functions, by name). Notifications stay with the email channel
/// registered by AddNotifications.
/// </summary>
public static class TransportServices
{
    public static IServiceCollection AddTransport(this IServiceCollection services, IConfiguration config)
    {
        ArgumentNullException.ThrowIfNull(config);
        services.AddOptions<TransportOptions>().Bind(config.GetSection(TransportOptions.SectionName));
        services.AddOptions<ServiceBusOptions>().Bind(config.GetSection(ServiceBusOptions.SectionName))
            .Validate(o => o.FullyQualifiedNamespace is not null || !string.IsNullOrWhiteSpace(o.ConnectionString) || !UsesServiceBus(config),
                "Transport uses Service Bus: set ServiceBus:FullyQualifiedNamespace (managed identity) or ServiceBus:ConnectionString.")
            .ValidateOnStart();
        var transport = config.GetSection(TransportOptions.SectionName).Get<TransportOptions>() ?? new TransportOptions();
        services.AddSingleton(Client);

        if (transport.IntegrationEvents == IntegrationEventTransport.ServiceBus)
        {
            services.AddSingleton<ILifecycleEvents>(sp => new ServiceBusLifecycleEvents(Sender(sp, o => o.EventsTopic)));
        }
        else
        {
            services.AddSingleton<ILifecycleEvents, NoLifecycleEvents>();
        }

        services.AddScheduledJob<DigestRunJob>(FunctionNames.DigestRun);
        services.AddScheduledJob<RetentionRunJob>(FunctionNames.RetentionRun);
        services.AddScheduledJob<RecoveryRunJob>(FunctionNames.RecoveryRun);
        return services;
    }

    private static bool UsesServiceBus(IConfiguration config)
    {
        var transport = config.GetSection(TransportOptions.SectionName).Get<TransportOptions>() ?? new TransportOptions();
        return transport.IntegrationEvents == IntegrationEventTransport.ServiceBus;
    }

    /// <summary>
    /// One <see cref="ServiceBusClient"/> (one AMQP connection) for the app, created on first use:
    /// the connection string when set, otherwise the namespace with the managed identity.
    /// </summary>
    private static ServiceBusClient Client(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<ServiceBusOptions>>().Value;
        return !string.IsNullOrWhiteSpace(options.ConnectionString)
            ? new ServiceBusClient(options.ConnectionString)
            : new ServiceBusClient(
                (options.FullyQualifiedNamespace ?? throw new InvalidOperationException("ServiceBus:FullyQualifiedNamespace is not set.")).Host,
                new DefaultAzureCredential());
    }

    private static ServiceBusSender Sender(IServiceProvider services, Func<ServiceBusOptions, string> entity) =>
        services.GetRequiredService<ServiceBusClient>().CreateSender(entity(services.GetRequiredService<IOptions<ServiceBusOptions>>().Value));
}
