using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HandInHand.Infrastructure.Orchestration.Hosting;

/// <summary>
/// Runs the referral orchestrator and its activities in this process, with no Functions host:
/// DurableTask.Core's worker over the Azure Storage orchestration service, each task wrapped by
/// the public shim factory of Microsoft.DurableTask.Worker — the same classes, under the same
/// names, that the Functions app registers.
/// </summary>
public sealed partial class DurableTaskWorkerHost(
    AzureStorageOrchestrationService service,
    IServiceProvider services,
    DataConverter converter,
    IOptions<OrchestrationOptions> options,
    ILoggerFactory loggerFactory,
    ILogger<DurableTaskWorkerHost> logger) : IHostedService, IAsyncDisposable
{
    private TaskHubWorker? _worker;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await service.CreateIfNotExistsAsync().ConfigureAwait(false);
        if (!options.Value.WorkerEnabled)
        {
            return;
        }

        var shims = new DurableTaskShimFactory(
            new DurableTaskWorkerOptions { DataConverter = converter, MaximumTimerInterval = options.Value.MaximumTimerInterval },
            loggerFactory);
        _worker = new TaskHubWorker(service, loggerFactory);
        _worker.AddTaskOrchestrations(new Creator<TaskOrchestration>(ReferralActivityNames.Orchestrator, () =>
            shims.CreateOrchestration(ReferralActivityNames.Orchestrator, new ReferralOrchestrator())));
        _worker.AddTaskActivities([.. ReferralTasks.Activities.Select(a => new Creator<TaskActivity>(a.Key, () =>
            shims.CreateActivity(a.Key, (ITaskActivity)ActivatorUtilities.CreateInstance(services, a.Value))))]);
        await _worker.StartAsync().ConfigureAwait(false);
        LogStarted(logger, options.Value.TaskHubName, options.Value.EffectiveWorkerId, options.Value.PartitionCount);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_worker is { } worker)
        {
            _worker = null;
            await worker.StopAsync(isForced: cancellationToken.IsCancellationRequested).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(new CancellationToken(canceled: true)).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Orchestration worker started: task hub {TaskHub}, worker {WorkerId}, {Partitions} partitions")]
    private static partial void LogStarted(ILogger logger, string taskHub, string workerId, int partitions);

    /// <summary>Makes a fresh task object for each execution, as the worker asks.</summary>
    private sealed class Creator<T> : ObjectCreator<T>
    {
        private readonly Func<T> _create;

        public Creator(string name, Func<T> create)
        {
            Name = name;
            Version = string.Empty;
            _create = create;
        }

        public override T Create() => _create();
    }
}
