using System.Text.Json;
using HandInHand.Infrastructure.Protection;
using HandInHand.Infrastructure.Workflow;
using Microsoft.DurableTask;

namespace HandInHand.Infrastructure.Orchestration;

/// <summary>
/// How every orchestration input, output, event and activity payload is written into the task
/// hub: the workflow JSON (the same as the history rows), encrypted with the field key. The task
/// hub's queues, history and instance rows hold a referral's state and commands — dates of birth,
/// reasons, reviews — so nothing of them may reach storage readable.
/// </summary>
public sealed class EncryptingDataConverter(FieldEncryption encryption) : DataConverter
{
    /// <summary>The context every payload is bound to: a payload from another purpose does not decrypt as one of these.</summary>
    private const string Context = "durable-task-payload";

    public override string? Serialize(object? value) =>
        value is null ? null : encryption.Encrypt(JsonSerializer.Serialize(value, value.GetType(), WorkflowJson.Options), Context);

    public override object? Deserialize(string? data, Type targetType)
    {
        ArgumentNullException.ThrowIfNull(targetType);
        return data is null ? null : JsonSerializer.Deserialize(encryption.Decrypt(data, Context), targetType, WorkflowJson.Options);
    }
}
