using Azure.Core;
using DurableTask.AzureStorage;
using DurableTask.Core;
using HandInHand.Infrastructure.Protection;
using HandInHand.Infrastructure.Storage;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HandInHand.Infrastructure.Orchestration.Hosting;

/// <summary>
/// Registers the referral orchestrations for a host that runs them itself: the Azure Storage
/// orchestration service (the task hub layout Durable Functions uses in Azure), the worker, and a
/// <see cref="DurableTaskClient"/> over the same service.
/// </summary>
public static class OrchestrationHosting
{
    public static IServiceCollection AddLocalOrchestrations(this IServiceCollection services)
    {
        services.AddSingleton<DataConverter>(sp => new EncryptingDataConverter(sp.GetRequiredService<FieldEncryption>()));
        services.AddSingleton(sp => new AzureStorageOrchestrationService(Settings(
            sp.GetRequiredService<IOptions<OrchestrationOptions>>().Value,
            sp.GetRequiredService<IOptions<StorageOptions>>().Value,
            sp.GetService<TokenCredential>(),
            sp.GetRequiredService<ILoggerFactory>())));
        services.AddSingleton<IOrchestrationServiceClient>(sp => sp.GetRequiredService<AzureStorageOrchestrationService>());
        services.AddSingleton<DurableTaskClient>(sp => new OrchestrationServiceClient(sp.GetRequiredService<IOrchestrationServiceClient>(), sp.GetRequiredService<DataConverter>()));
        services.AddSingleton<DurableTaskWorkerHost>();
        services.AddHostedService(sp => sp.GetRequiredService<DurableTaskWorkerHost>());
        return services;
    }

    /// <summary>The backend's settings: from the same storage account as the tables, polling kept short so timers fire on time.</summary>
    public static AzureStorageOrchestrationServiceSettings Settings(OrchestrationOptions options, StorageOptions storage, TokenCredential? credential, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(storage);
        StorageAccountClientProvider account;
        if (!string.IsNullOrWhiteSpace(storage.ConnectionString))
        {
            account = new StorageAccountClientProvider(storage.ConnectionString);
        }
        else if (storage.TableEndpoint is { } tables && credential is not null)
        {
            account = new StorageAccountClientProvider(
                new Uri(tables.AbsoluteUri.Replace(".table.", ".blob.", StringComparison.Ordinal)),
                new Uri(tables.AbsoluteUri.Replace(".table.", ".queue.", StringComparison.Ordinal)),
                tables,
                credential);
        }
        else
        {
            throw new InvalidOperationException("The orchestrations need Storage:ConnectionString, or Storage:TableEndpoint with a credential.");
        }

        return new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = options.TaskHubName,
            StorageAccountClientProvider = account,
            PartitionCount = options.PartitionCount,
            WorkerId = options.EffectiveWorkerId(),
            MaxQueuePollingInterval = options.MaxQueuePollingInterval,
            ControlQueueVisibilityTimeout = options.ControlQueueVisibilityTimeout,
            WorkItemQueueVisibilityTimeout = options.WorkItemQueueVisibilityTimeout,
            ExtendedSessionsEnabled = options.ExtendedSessionsEnabled,
            LoggerFactory = loggerFactory,
        };
    }
}
