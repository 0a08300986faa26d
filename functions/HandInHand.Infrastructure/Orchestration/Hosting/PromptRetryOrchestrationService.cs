using System.Net.Http;
using Azure;
using DurableTask.Core;

namespace HandInHand.Infrastructure.Orchestration.Hosting;

/// <summary>
/// The Azure Storage orchestration service as the worker sees it, with one difference: a work
/// item that fails on a storage fault is retried without slowing the whole worker down.
/// </summary>
/// <remarks>
/// DurableTask.Core's dispatcher asks the service how long to back off after a work item fails, and
/// the Azure Storage service answers 10 s for every failure. The dispatcher then waits that long
/// after each work item it takes, until five in a row succeed, so under intermittent storage faults
/// one orchestration dispatcher works off one episode every 10 s for every referral at once. A fault
/// run saw its backlog of timers stall for 80 s that way after two failed work items. A storage
/// fault is already retried with back-off by the storage clients, and the failed work item's
/// messages go back to their queue with the backend's own growing visibility delay; so after a
/// storage fault the dispatcher goes on at once, and only other failures keep the service's answer.
/// Under the Functions host the Durable Functions extension runs the dispatchers; this applies to the
/// local host, which runs the worker itself.
/// </remarks>
public sealed class PromptRetryOrchestrationService(IOrchestrationService inner) : IOrchestrationService
{
    /// <summary>Whether a failure came from talking to storage: a request that failed, timed out or lost its connection (the backend wraps each in an exception of its own).</summary>
    public static bool IsStorageFault(Exception exception) => exception switch
    {
        RequestFailedException or HttpRequestException or TimeoutException or IOException => true,
        AggregateException all => all.InnerExceptions.Count > 0 && all.InnerExceptions.All(IsStorageFault),
        { InnerException: { } inside } => IsStorageFault(inside),
        _ => false,
    };

    public int GetDelayInSecondsAfterOnProcessException(Exception exception) =>
        IsStorageFault(exception) ? 0 : inner.GetDelayInSecondsAfterOnProcessException(exception);

    public int GetDelayInSecondsAfterOnFetchException(Exception exception) => inner.GetDelayInSecondsAfterOnFetchException(exception);

    public int TaskOrchestrationDispatcherCount => inner.TaskOrchestrationDispatcherCount;

    public int MaxConcurrentTaskOrchestrationWorkItems => inner.MaxConcurrentTaskOrchestrationWorkItems;

    public BehaviorOnContinueAsNew EventBehaviourForContinueAsNew => inner.EventBehaviourForContinueAsNew;

    public int TaskActivityDispatcherCount => inner.TaskActivityDispatcherCount;

    public int MaxConcurrentTaskActivityWorkItems => inner.MaxConcurrentTaskActivityWorkItems;

    public Task StartAsync() => inner.StartAsync();

    public Task StopAsync() => inner.StopAsync();

    public Task StopAsync(bool isForced) => inner.StopAsync(isForced);

    public Task CreateAsync() => inner.CreateAsync();

    public Task CreateAsync(bool recreateInstanceStore) => inner.CreateAsync(recreateInstanceStore);

    public Task CreateIfNotExistsAsync() => inner.CreateIfNotExistsAsync();

    public Task DeleteAsync() => inner.DeleteAsync();

    public Task DeleteAsync(bool deleteInstanceStore) => inner.DeleteAsync(deleteInstanceStore);

    public bool IsMaxMessageCountExceeded(int currentMessageCount, OrchestrationRuntimeState runtimeState) =>
        inner.IsMaxMessageCountExceeded(currentMessageCount, runtimeState);

    public Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken) =>
        inner.LockNextTaskOrchestrationWorkItemAsync(receiveTimeout, cancellationToken);

    public Task RenewTaskOrchestrationWorkItemLockAsync(TaskOrchestrationWorkItem workItem) => inner.RenewTaskOrchestrationWorkItemLockAsync(workItem);

    public Task CompleteTaskOrchestrationWorkItemAsync(
        TaskOrchestrationWorkItem workItem,
        OrchestrationRuntimeState newOrchestrationRuntimeState,
        IList<TaskMessage> outboundMessages,
        IList<TaskMessage> orchestratorMessages,
        IList<TaskMessage> timerMessages,
        TaskMessage continuedAsNewMessage,
        OrchestrationState orchestrationState) =>
        inner.CompleteTaskOrchestrationWorkItemAsync(workItem, newOrchestrationRuntimeState, outboundMessages, orchestratorMessages, timerMessages, continuedAsNewMessage, orchestrationState);

    public Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => inner.AbandonTaskOrchestrationWorkItemAsync(workItem);

    public Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => inner.ReleaseTaskOrchestrationWorkItemAsync(workItem);

    public Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout, CancellationToken cancellationToken) =>
        inner.LockNextTaskActivityWorkItem(receiveTimeout, cancellationToken);

    public Task<TaskActivityWorkItem> RenewTaskActivityWorkItemLockAsync(TaskActivityWorkItem workItem) => inner.RenewTaskActivityWorkItemLockAsync(workItem);

    public Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage) =>
        inner.CompleteTaskActivityWorkItemAsync(workItem, responseMessage);

    public Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem) => inner.AbandonTaskActivityWorkItemAsync(workItem);
}
