using Microsoft.DurableTask;

namespace HandInHand.Functions.Orchestration;

/// <summary>The activity's context under the Functions host: its name, and the orchestration instance that called it.</summary>
public sealed class FunctionsActivityContext(TaskName name, string instanceId) : TaskActivityContext
{
    public override TaskName Name { get; } = name;

    public override string InstanceId { get; } = instanceId;
}
