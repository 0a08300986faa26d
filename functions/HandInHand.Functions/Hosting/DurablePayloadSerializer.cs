using Azure.Core.Serialization;
using HandInHand.Infrastructure.Orchestration;

namespace HandInHand.Functions.Hosting;

/// <summary>
/// The worker's serializer (<c>WorkerOptions.Serializer</c>). The isolated Durable extension
/// builds its DataConverter from this serializer alone — for the client, the orchestrations, the
/// activities' inputs, and (through the worker) the activities' return values — and ignores a
/// DataConverter registered in DI. So this is where our <see cref="EncryptingDataConverter"/> goes
/// in: every payload is written and read exactly as the local host writes it into the task hub.
/// </summary>
/// <remarks>
/// The worker also reads its own binding data through this serializer (a timer's schedule
/// status): the Functions SDK's types keep the plain JSON serializer. Everything else is a durable
/// payload and is encrypted, so a payload type that is forgotten here can only fail loudly, never
/// reach storage readable.
/// </remarks>
public sealed class DurablePayloadSerializer(EncryptingDataConverter converter) : ObjectSerializer
{
    private static readonly JsonObjectSerializer Plain = new();

    /// <summary>Whether <paramref name="type"/> is the worker's own binding data rather than a durable payload.</summary>
    public static bool IsBindingData(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return type.Assembly.GetName().Name?.StartsWith("Microsoft.Azure.Functions.Worker", StringComparison.Ordinal) == true;
    }

    public override object? Deserialize(Stream stream, Type returnType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(returnType);
        if (IsBindingData(returnType))
        {
            return Plain.Deserialize(stream, returnType, cancellationToken);
        }

        using var reader = new StreamReader(stream, leaveOpen: true);
        return converter.Deserialize(reader.ReadToEnd(), returnType);
    }

    public override async ValueTask<object?> DeserializeAsync(Stream stream, Type returnType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(returnType);
        if (IsBindingData(returnType))
        {
            return await Plain.DeserializeAsync(stream, returnType, cancellationToken).ConfigureAwait(false);
        }

        using var reader = new StreamReader(stream, leaveOpen: true);
        return converter.Deserialize(await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false), returnType);
    }

    public override void Serialize(Stream stream, object? value, Type inputType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(inputType);
        if (IsBindingData(inputType))
        {
            Plain.Serialize(stream, value, inputType, cancellationToken);
            return;
        }

        using var writer = new StreamWriter(stream, leaveOpen: true);
        writer.Write(converter.Serialize(value) ?? "null");
    }

    public override async ValueTask SerializeAsync(Stream stream, object? value, Type inputType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(inputType);
        if (IsBindingData(inputType))
        {
            await Plain.SerializeAsync(stream, value, inputType, cancellationToken).ConfigureAwait(false);
            return;
        }

        var writer = new StreamWriter(stream, leaveOpen: true);
        await using (writer.ConfigureAwait(false))
        {
            await writer.WriteAsync(converter.Serialize(value) ?? "null").ConfigureAwait(false);
        }
    }
}
