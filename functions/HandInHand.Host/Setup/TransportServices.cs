using Azure.Identity;
using HandInHand.Host.Functions;
using HandInHand.Infrastructure.Messaging;
using HandInHand.Infrastructure.ServiceBus;
using HandInHand.Infrastructure.Workflow;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace HandInHand.Host.Setup;

/// <summary>
/// Registers how work leaves the app and how the Functions host reaches it: the transport switch
/// (<c>Transport:Notifications</c> = <c>InProcess</c> | <c>ServiceBus</c>, <c>Transport:IntegrationEvents</c>
/// = <c>None</c> | <c>ServiceBus</c>), the Service Bus senders, the dead-letter record, the timer jobs
/// and the policy of the non-HTTP function handlers.
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

        if (transport.Notifications == NotificationTransport.ServiceBus)
        {
            // Replaces the email channel registered by AddNotifications: the queue's function sends the email.
            services.Replace(ServiceDescriptor.Singleton<INotificationChannel>(sp =>
                new ServiceBusNotificationChannel(Sender(sp, o => o.NotificationsQueue))));
        }

        if (transport.IntegrationEvents == IntegrationEventTransport.ServiceBus)
        {
            services.AddSingleton<ILifecycleEvents>(sp => new ServiceBusLifecycleEvents(Sender(sp, o => o.EventsTopic)));
        }
        else
        {
            services.AddSingleton<ILifecycleEvents, NoLifecycleEvents>();
        }

        services.AddSingleton<DeadLetterLog>();
        services.AddScheduledJob<DispatcherTickJob>(FunctionNames.DispatcherTick);
        services.AddScheduledJob<DigestRunJob>(FunctionNames.DigestRun);
        services.AddScheduledJob<RetentionRunJob>(FunctionNames.RetentionRun);
        services.AddFunctionsHostPolicy();
        return services;
    }

    private static bool UsesServiceBus(IConfiguration config)
    {
        var transport = config.GetSection(TransportOptions.SectionName).Get<TransportOptions>() ?? new TransportOptions();
        return transport.Notifications == NotificationTransport.ServiceBus || transport.IntegrationEvents == IntegrationEventTransport.ServiceBus;
    }

    private static ServiceBusSender Sender(IServiceProvider services, Func<ServiceBusOptions, string> entity)
    {
        var options = services.GetRequiredService<IOptions<ServiceBusOptions>>().Value;
        var client = new ServiceBusClientOptions
        {
            DuplicateDetectionWindow = options.DuplicateDetectionWindow,
            CustomEndpointAddress = options.CustomEndpoint,
            TimeProvider = services.GetRequiredService<TimeProvider>(),
        };
        return !string.IsNullOrWhiteSpace(options.ConnectionString)
            ? new ServiceBusSender(options.ConnectionString, entity(options), client)
            : new ServiceBusSender(
                options.FullyQualifiedNamespace ?? throw new InvalidOperationException("ServiceBus:FullyQualifiedNamespace is not set."),
                entity(options),
                new DefaultAzureCredential(),
                client);
    }
}
