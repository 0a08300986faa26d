using System.Globalization;
using System.Text;
using System.Text.Json;

namespace HandInHand.Infrastructure.ServiceBus;

/// <summary>
/// The <c>BrokerProperties</c> JSON of the Service Bus REST API: written into the header of a single
/// send or into each element of a batch, and read from a received message's header. Times are RFC 1123
/// (<c>Sun, 06 Nov 1994 08:49:37 GMT</c>) and <c>TimeToLive</c> is in seconds.
/// </summary>
internal static class BrokerPropertiesJson
{
    /// <summary>The header value for a single send. The default encoder escapes non-ASCII, so it is header-safe.</summary>
    internal static string Serialize(ServiceBusMessage message)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, message);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    internal static void Write(Utf8JsonWriter writer, ServiceBusMessage message)
    {
        writer.WriteStartObject();
        writer.WriteString("MessageId", message.MessageId);
        WriteIfSet(writer, "CorrelationId", message.CorrelationId);
        WriteIfSet(writer, "SessionId", message.SessionId);
        WriteIfSet(writer, "Label", message.Subject);
        if (message.TimeToLive is { } ttl)
        {
            writer.WriteNumber("TimeToLive", ttl.TotalSeconds);
        }

        if (message.ScheduledEnqueueTime is { } scheduled)
        {
            writer.WriteString("ScheduledEnqueueTimeUtc", Rfc1123(scheduled));
        }

        writer.WriteEndObject();
    }

    internal static string Rfc1123(DateTimeOffset time) => time.UtcDateTime.ToString("R", CultureInfo.InvariantCulture);

    internal static DateTimeOffset? ParseRfc1123(string? text) =>
        text is not null && DateTimeOffset.TryParseExact(
            text.Trim(), "R", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : null;

    /// <summary>Reads the header of a peek-locked message; null when it is not a JSON object.</summary>
    internal static ReceivedBrokerProperties? Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            return new ReceivedBrokerProperties(
                String(root, "MessageId"),
                Guid.TryParse(String(root, "LockToken"), out var lockToken) ? lockToken : null,
                Int64(root, "SequenceNumber"),
                (int?)Int64(root, "DeliveryCount"),
                String(root, "CorrelationId"),
                String(root, "SessionId"),
                String(root, "Label"),
                ParseRfc1123(String(root, "EnqueuedTimeUtc")),
                ParseRfc1123(String(root, "LockedUntilUtc")));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void WriteIfSet(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long? Int64(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : null;
}

/// <summary>The broker properties a received message carries that the receiver uses.</summary>
internal sealed record ReceivedBrokerProperties(
    string? MessageId,
    Guid? LockToken,
    long? SequenceNumber,
    int? DeliveryCount,
    string? CorrelationId,
    string? SessionId,
    string? Label,
    DateTimeOffset? EnqueuedTime,
    DateTimeOffset? LockedUntil);
