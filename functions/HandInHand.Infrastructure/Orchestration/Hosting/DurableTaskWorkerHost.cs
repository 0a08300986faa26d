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
/// <remarks>
/// The worker starts in the background and keeps trying while storage cannot be reached, so an
/// outage at start-up leaves the app up, answering 503 where it needs storage, instead of down.
/// </remarks>
public sealed partial class DurableTaskWorkerHost(
    AzureStorageOrchestrationService service,
    IServiceProvider services,
    DataConverter converter,
    IOptions<OrchestrationOptions> options,
    ILoggerFactory loggerFactory,
    ILogger<DurableTaskWorkerHost> logger) : BackgroundService
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);
    private TaskHubWorker? _worker;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (_worker is { } worker)
        {
            _worker = null;
            await worker.StopAsync(isForced: cancellationToken.IsCancellationRequested).ConfigureAwait(false);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.WorkerEnabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await service.CreateIfNotExistsAsync().ConfigureAwait(false);
                var worker = CreateWorker();
                await worker.StartAsync().ConfigureAwait(false);
                _worker = worker;
                var settings = options.Value;
                var workerId = settings.EffectiveWorkerId();
                LogStarted(logger, settings.TaskHubName, workerId, settings.PartitionCount);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogStartFailed(logger, ex.GetType().Name, RetryAfter.TotalSeconds);
                await Task.Delay(RetryAfter, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private TaskHubWorker CreateWorker()
    {
        var shims = new DurableTaskShimFactory(
            new DurableTaskWorkerOptions { DataConverter = converter, MaximumTimerInterval = options.Value.MaximumTimerInterval },
            loggerFactory);
        var worker = new TaskHubWorker(new PromptRetryOrchestrationService(service), loggerFactory);
        worker.AddTaskOrchestrations(new Creator<TaskOrchestration>(ReferralActivityNames.Orchestrator, () =>
            shims.CreateOrchestration(ReferralActivityNames.Orchestrator, new ReferralOrchestrator())));
        worker.AddTaskActivities([.. ReferralTasks.Activities.Select(a => new Creator<TaskActivity>(a.Key, () =>
            shims.CreateActivity(a.Key, (ITaskActivity)ActivatorUtilities.CreateInstance(services, a.Value))))]);
        return worker;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Orchestration worker started: task hub {TaskHub}, worker {WorkerId}, {Partitions} partitions")]
    private static partial void LogStarted(ILogger logger, string taskHub, string workerId, int partitions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The orchestration worker could not start ({Error}); trying again in {Seconds} s")]
    private static partial void LogStartFailed(ILogger logger, string error, double seconds);

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
