using System.Globalization;
using System.Text.Json;
using HandInHand.Infrastructure.Orchestration;
using HandInHand.Infrastructure.Workflow;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HandInHand.Infrastructure.Tests.Orchestration;

/// <summary>
/// An orchestration context that answers each activity call from a script, for what the backend
/// cannot be made to do on cue: hand a call an answer that was meant for another. Answers go
/// through the workflow JSON both ways, as the task hub's payloads do; timers are due at once; no
/// command ever arrives.
/// </summary>
internal sealed class ScriptedOrchestrationContext(DateTime now, Func<string, ActivityCall<object>, int, object> answer) : TaskOrchestrationContext
{
    private readonly Dictionary<string, int> calls = new(StringComparer.Ordinal);
    private int guids;

    /// <summary>Every activity call, in order: its name and its input.</summary>
    public List<(string Name, object Input)> Calls { get; } = [];

    /// <summary>The input the orchestration continued as new with, if it did.</summary>
    public object? ContinuedWith { get; private set; }

    public override TaskName Name => ReferralActivityNames.Orchestrator;

    public override string InstanceId => "HH-2026-00001";

    public override ParentOrchestrationInstance? Parent => null;

    public override DateTime CurrentUtcDateTime => now;

    public override bool IsReplaying => false;

    public override TaskOrchestrationEntityFeature Entities => throw new NotSupportedException();

    protected override ILoggerFactory LoggerFactory => NullLoggerFactory.Instance;

    public override T GetInput<T>() => throw new NotSupportedException();

    public override Task<TResult> CallActivityAsync<TResult>(TaskName name, object? input = null, TaskOptions? options = null)
    {
        var call = Assert.IsType<ActivityCall<object>>(input);
        Calls.Add((name.Name, call.Input));
        var n = calls[name.Name] = calls.GetValueOrDefault(name.Name) + 1;
        var written = answer(name.Name, call, n);
        if (written is Exception refused)
        {
            return Task.FromException<TResult>(refused);
        }

        var payload = JsonSerializer.Serialize(written, written.GetType(), WorkflowJson.Options);
        return Task.FromResult(JsonSerializer.Deserialize<TResult>(payload, WorkflowJson.Options)!);
    }

    public override Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken) => Task.CompletedTask;

    public override Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default) =>
        new TaskCompletionSource<T>().Task;

    public override void SendEvent(string instanceId, string eventName, object payload)
    {
    }

    public override void SetCustomStatus(object? customStatus)
    {
    }

    public override Task<TResult> CallSubOrchestratorAsync<TResult>(TaskName orchestratorName, object? input = null, TaskOptions? options = null) =>
        throw new NotSupportedException();

    public override void ContinueAsNew(object? newInput = null, bool preserveUnprocessedEvents = true) => ContinuedWith = newInput;

    public override Guid NewGuid() => Guid.Parse((++guids).ToString("D32", CultureInfo.InvariantCulture));
}
