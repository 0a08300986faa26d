using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using HandInHand.Domain.Lifecycle;

namespace HandInHand.Infrastructure.Workflow;

/// <summary>
/// A referral's timers or missed deadlines (<see cref="TimerKind"/> to time) as stored: a JSON object
/// of the kinds' names and ISO 8601 times, the form the default converter writes. Read straight into
/// a builder: the default reads through a dictionary first and costs about as much as the rest of a
/// case card, which every staff view reads by the hundred.
/// </summary>
public sealed class DeadlinesJsonConverter : JsonConverter<ImmutableSortedDictionary<TimerKind, DateTimeOffset>>
{
    public override ImmutableSortedDictionary<TimerKind, DateTimeOffset> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("Expected an object of timer kinds and times.");
        }

        var builder = ImmutableSortedDictionary.CreateBuilder<TimerKind, DateTimeOffset>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString();
            if (!Enum.TryParse<TimerKind>(name, ignoreCase: false, out var kind) || !Enum.IsDefined(kind) || !char.IsAsciiLetterUpper(name![0]))
            {
                throw new JsonException("Unknown timer kind.");
            }

            reader.Read();
            builder[kind] = reader.GetDateTimeOffset();
        }

        return builder.ToImmutable();
    }

    public override void Write(Utf8JsonWriter writer, ImmutableSortedDictionary<TimerKind, DateTimeOffset> value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        foreach (var (kind, at) in value)
        {
            writer.WritePropertyName(kind.ToString());
            writer.WriteStringValue(at);
        }

        writer.WriteEndObject();
    }
}
