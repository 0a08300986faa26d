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
/// <remarks>
/// Each payload is a JSON string holding the ciphertext, so it stays valid JSON wherever the
/// framework looks into it; DurableTask.Core passes an activity's input as an array of
/// parameters, so an array is written as a JSON array of such strings.
/// </remarks>
public sealed class EncryptingDataConverter(FieldEncryption encryption) : DataConverter
{
    /// <summary>The context every payload is bound to: a payload from another purpose does not decrypt as one of these.</summary>
    private const string Context = "durable-task-payload";

    public override string? Serialize(object? value) => value switch
    {
        null => null,
        object[] parameters => "[" + string.Join(",", parameters.Select(p => Serialize(p) ?? "null")) + "]",
        _ => JsonSerializer.Serialize(encryption.Encrypt(JsonSerializer.Serialize(value, value.GetType(), WorkflowJson.Options), Context)),
    };

    public override object? Deserialize(string? data, Type targetType)
    {
        ArgumentNullException.ThrowIfNull(targetType);
        if (data is null || JsonSerializer.Deserialize<string?>(data) is not { } ciphertext)
        {
            return null;
        }

        return JsonSerializer.Deserialize(encryption.Decrypt(ciphertext, Context), targetType, WorkflowJson.Options);
    }
}
