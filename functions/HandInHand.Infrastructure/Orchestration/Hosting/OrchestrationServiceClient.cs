using DurableTask.Core;
using DurableTask.Core.History;
using DurableTask.Core.Query;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using CoreQuery = DurableTask.Core.Query.OrchestrationQuery;
using CorePurgeResult = DurableTask.Core.PurgeResult;

namespace HandInHand.Infrastructure.Orchestration.Hosting;

/// <summary>
/// A <see cref="DurableTaskClient"/> that talks straight to a Durable Task orchestration service
/// (here Azure Storage) in this process, for the local host, which runs the worker without a
/// Functions host or a sidecar. Payloads go through the same <see cref="DataConverter"/> the
/// worker reads them with; under the Functions app the extension's client takes its place.
/// </summary>
public sealed class OrchestrationServiceClient : DurableTaskClient
{
    /// <summary>A new instance may not take the id of one that has not finished.</summary>
    private static readonly OrchestrationStatus[] NotFinished =
        [OrchestrationStatus.Pending, OrchestrationStatus.Running, OrchestrationStatus.ContinuedAsNew, OrchestrationStatus.Suspended];

    private readonly IOrchestrationServiceClient _service;
    private readonly DataConverter _converter;

    public OrchestrationServiceClient(IOrchestrationServiceClient service, DataConverter converter)
        : base("local")
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(converter);
        _service = service;
        _converter = converter;
    }

    /// <summary>How often the waits poll the instance's status.</summary>
    public static TimeSpan PollInterval { get; } = TimeSpan.FromMilliseconds(200);

    public override async Task<string> ScheduleNewOrchestrationInstanceAsync(
        TaskName orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellation = default)
    {
        var instance = new OrchestrationInstance
        {
            InstanceId = options?.InstanceId ?? Guid.NewGuid().ToString("N"),
            ExecutionId = Guid.NewGuid().ToString("N"),
        };
        var started = new ExecutionStartedEvent(-1, _converter.Serialize(input))
        {
            Name = orchestratorName.Name,
            Version = options?.Version?.Version ?? string.Empty,
            OrchestrationInstance = instance,
            ScheduledStartTime = options?.StartAt?.UtcDateTime,
            Tags = options?.Tags?.ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal) ?? [],
        };
        cancellation.ThrowIfCancellationRequested();
        await _service.CreateTaskOrchestrationAsync(new TaskMessage { OrchestrationInstance = instance, Event = started }, NotFinished).ConfigureAwait(false);
        return instance.InstanceId;
    }

    public override Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        cancellation.ThrowIfCancellationRequested();
        return SendAsync(instanceId, new EventRaisedEvent(-1, _converter.Serialize(eventPayload)) { Name = eventName });
    }

    public override Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default)
    {
        cancellation.ThrowIfCancellationRequested();
        return SendAsync(instanceId, new ExecutionSuspendedEvent(-1, reason));
    }

    public override Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default)
    {
        cancellation.ThrowIfCancellationRequested();
        return SendAsync(instanceId, new ExecutionResumedEvent(-1, reason));
    }

    public override Task TerminateInstanceAsync(string instanceId, TerminateInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        cancellation.ThrowIfCancellationRequested();
        return _service.ForceTerminateTaskOrchestrationAsync(instanceId, _converter.Serialize(options?.Output));
    }

    public override async Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        cancellation.ThrowIfCancellationRequested();
        var states = await _service.GetOrchestrationStateAsync(instanceId, allExecutions: false).ConfigureAwait(false);
        return states?.FirstOrDefault() is { } state ? ToMetadata(state, getInputsAndOutputs) : null;
    }

    public override Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        WaitAsync(instanceId, getInputsAndOutputs, m => m.RuntimeStatus != OrchestrationRuntimeStatus.Pending, cancellation);

    public override Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        WaitAsync(instanceId, getInputsAndOutputs, m => m.IsCompleted, cancellation);

    public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(Microsoft.DurableTask.Client.OrchestrationQuery? filter = null)
    {
        if (_service is not IOrchestrationServiceQueryClient query)
        {
            throw new NotSupportedException("This orchestration service cannot be queried.");
        }

        return Pageable.Create(async (continuation, pageSize, cancellation) =>
        {
            var result = await query.GetOrchestrationWithQueryAsync(
                new CoreQuery
                {
                    RuntimeStatus = filter?.Statuses?.Select(s => (OrchestrationStatus)s).ToList(),
                    CreatedTimeFrom = filter?.CreatedFrom?.UtcDateTime,
                    CreatedTimeTo = filter?.CreatedTo?.UtcDateTime,
                    InstanceIdPrefix = filter?.InstanceIdPrefix,
                    PageSize = pageSize ?? filter?.PageSize ?? Microsoft.DurableTask.Client.OrchestrationQuery.DefaultPageSize,
                    ContinuationToken = continuation ?? filter?.ContinuationToken,
                    FetchInputsAndOutputs = filter?.FetchInputsAndOutputs ?? false,
                },
                cancellation).ConfigureAwait(false);
            return new Page<OrchestrationMetadata>(
                [.. result.OrchestrationState.Select(s => ToMetadata(s, filter?.FetchInputsAndOutputs ?? false))],
                result.ContinuationToken);
        });
    }

    public override async Task<Microsoft.DurableTask.Client.PurgeResult> PurgeInstanceAsync(string instanceId, PurgeInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        cancellation.ThrowIfCancellationRequested();
        var result = await Purger().PurgeInstanceStateAsync(instanceId).ConfigureAwait(false);
        return ToPurgeResult(result);
    }

    public override async Task<Microsoft.DurableTask.Client.PurgeResult> PurgeAllInstancesAsync(PurgeInstancesFilter filter, PurgeInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        cancellation.ThrowIfCancellationRequested();
        var core = new PurgeInstanceFilter(
            filter.CreatedFrom?.UtcDateTime ?? DateTime.MinValue,
            filter.CreatedTo?.UtcDateTime,
            filter.Statuses?.Select(s => (OrchestrationStatus)s));
        return ToPurgeResult(await Purger().PurgeInstanceStateAsync(core).ConfigureAwait(false));
    }

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static Microsoft.DurableTask.Client.PurgeResult ToPurgeResult(CorePurgeResult result) =>
        new(result.DeletedInstanceCount, result.IsComplete);

    private IOrchestrationServicePurgeClient Purger() =>
        _service as IOrchestrationServicePurgeClient ?? throw new NotSupportedException("This orchestration service cannot purge instances.");

    private Task SendAsync(string instanceId, HistoryEvent e) =>
        _service.SendTaskOrchestrationMessageAsync(new TaskMessage { OrchestrationInstance = new OrchestrationInstance { InstanceId = instanceId }, Event = e });

    private async Task<OrchestrationMetadata> WaitAsync(string instanceId, bool getInputsAndOutputs, Func<OrchestrationMetadata, bool> reached, CancellationToken cancellation)
    {
        while (true)
        {
            if (await GetInstancesAsync(instanceId, getInputsAndOutputs, cancellation).ConfigureAwait(false) is { } metadata && reached(metadata))
            {
                return metadata;
            }

            // Real time: a pause between reads, whatever clock the lifecycle runs on.
            await Task.Delay(PollInterval, cancellation).ConfigureAwait(false);
        }
    }

    private OrchestrationMetadata ToMetadata(OrchestrationState state, bool getInputsAndOutputs) =>
        new(state.Name, state.OrchestrationInstance.InstanceId)
        {
            DataConverter = _converter,
            RuntimeStatus = (OrchestrationRuntimeStatus)state.OrchestrationStatus,
            CreatedAt = new DateTimeOffset(DateTime.SpecifyKind(state.CreatedTime, DateTimeKind.Utc)),
            LastUpdatedAt = new DateTimeOffset(DateTime.SpecifyKind(state.LastUpdatedTime, DateTimeKind.Utc)),
            SerializedInput = getInputsAndOutputs ? state.Input : null,
            SerializedOutput = getInputsAndOutputs ? state.Output : null,
            SerializedCustomStatus = state.Status,
            Tags = state.Tags is null ? new Dictionary<string, string>() : new Dictionary<string, string>(state.Tags),
            FailureDetails = state.FailureDetails is { } failure
                ? new TaskFailureDetails(failure.ErrorType, failure.ErrorMessage, failure.StackTrace, null, null)
                : null,
        };
}
