using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Azure;

namespace HandInHand.Infrastructure.Tables;

/// <summary>
/// The OData JSON form of entities. Writes every non-string, non-bool, non-Int32 value with an
/// <c>@odata.type</c> annotation; reads the annotations that <c>odata=minimalmetadata</c> returns
/// (Int64, DateTime, Guid, Binary, and Double where the service adds it) so values come back
/// with the type they were written with.
/// </summary>
internal static class EntityJson
{
    internal const string TypeSuffix = "@odata.type";
    internal const string DateTimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";
    private const string EtagProperty = "odata.etag";

    internal static byte[] Serialize(TableEntity entity)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString(TableEntity.PartitionKeyName, entity.PartitionKey);
            writer.WriteString(TableEntity.RowKeyName, entity.RowKey);
            foreach (var (name, value) in entity.Properties)
            {
                WriteProperty(writer, name, value);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    internal static byte[] SerializeTableName(string tableName)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("TableName", tableName);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteProperty(Utf8JsonWriter writer, string name, object value)
    {
        switch (value)
        {
            case string s:
                writer.WriteString(name, s);
                break;
            case bool b:
                writer.WriteBoolean(name, b);
                break;
            case int i:
                writer.WriteNumber(name, i);
                break;
            case long l:
                // Int64 travels as a string: JSON numbers lose precision beyond 2^53 in many parsers.
                writer.WriteString(name + TypeSuffix, "Edm.Int64");
                writer.WriteString(name, l.ToString(CultureInfo.InvariantCulture));
                break;
            case double d:
                writer.WriteString(name + TypeSuffix, "Edm.Double");
                if (double.IsFinite(d))
                {
                    writer.WriteNumber(name, d);
                }
                else
                {
                    writer.WriteString(name, double.IsNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
                }

                break;
            case DateTimeOffset t:
                writer.WriteString(name + TypeSuffix, "Edm.DateTime");
                writer.WriteString(name, FormatDateTime(t));
                break;
            case Guid g:
                writer.WriteString(name + TypeSuffix, "Edm.Guid");
                writer.WriteString(name, g.ToString("D", CultureInfo.InvariantCulture));
                break;
            case byte[] bytes:
                writer.WriteString(name + TypeSuffix, "Edm.Binary");
                writer.WriteBase64String(name, bytes);
                break;
            default:
                // TableEntity refuses other types when they are set; reaching here is a bug.
                throw new InvalidOperationException(
                    string.Create(CultureInfo.InvariantCulture, $"Property '{name}' has unsupported type {value.GetType().Name}."));
        }
    }

    internal static string FormatDateTime(DateTimeOffset value) =>
        value.UtcDateTime.ToString(DateTimeFormat, CultureInfo.InvariantCulture);

    /// <summary>Reads one entity object from a response; <paramref name="headerETag"/> wins over <c>odata.etag</c>.</summary>
    internal static TableEntity Deserialize(JsonElement element, string? headerETag)
    {
        // Annotations first: "Name@odata.type" may come before or after "Name".
        Dictionary<string, string>? types = null;
        foreach (var property in element.EnumerateObject())
        {
            if (property.Name.EndsWith(TypeSuffix, StringComparison.Ordinal) && property.Value.ValueKind == JsonValueKind.String)
            {
                types ??= new Dictionary<string, string>(StringComparer.Ordinal);
                types[property.Name[..^TypeSuffix.Length]] = property.Value.GetString()!;
            }
        }

        string? partitionKey = null;
        string? rowKey = null;
        string? etag = headerETag;
        DateTimeOffset? timestamp = null;
        var values = new List<KeyValuePair<string, object>>();
        foreach (var property in element.EnumerateObject())
        {
            string name = property.Name;
            if (name == EtagProperty)
            {
                etag ??= property.Value.GetString();
                continue;
            }

            if (name.Contains('@', StringComparison.Ordinal) || name.StartsWith("odata.", StringComparison.Ordinal))
            {
                continue;
            }

            switch (name)
            {
                case TableEntity.PartitionKeyName:
                    partitionKey = property.Value.GetString();
                    continue;
                case TableEntity.RowKeyName:
                    rowKey = property.Value.GetString();
                    continue;
                case TableEntity.TimestampName:
                    timestamp = ParseDateTime(property.Value.GetString()!);
                    continue;
            }

            string? type = types is not null && types.TryGetValue(name, out var t) ? t : null;
            values.Add(new(name, ReadValue(name, property.Value, type)));
        }

        // A $select that leaves out the keys is widened by the client, so both keys are always present.
        var entity = new TableEntity(
            partitionKey ?? throw new InvalidDataException("The service returned an entity without PartitionKey."),
            rowKey ?? throw new InvalidDataException("The service returned an entity without RowKey."));
        entity.Timestamp = timestamp;
        if (etag is not null)
        {
            entity.ETag = new ETag(etag);
        }

        foreach (var (name, value) in values)
        {
            entity.SetFromService(name, value);
        }

        return entity;
    }

    private static object ReadValue(string name, JsonElement value, string? type)
    {
        switch (type)
        {
            case "Edm.String":
                return value.GetString()!;
            case "Edm.Boolean":
                return value.GetBoolean();
            case "Edm.Int32":
                return value.ValueKind == JsonValueKind.String
                    ? int.Parse(value.GetString()!, NumberStyles.Integer, CultureInfo.InvariantCulture)
                    : value.GetInt32();
            case "Edm.Int64":
                return value.ValueKind == JsonValueKind.String
                    ? long.Parse(value.GetString()!, NumberStyles.Integer, CultureInfo.InvariantCulture)
                    : value.GetInt64();
            case "Edm.Double":
                return value.ValueKind == JsonValueKind.String ? ParseDouble(value.GetString()!) : value.GetDouble();
            case "Edm.DateTime":
                return ParseDateTime(value.GetString()!);
            case "Edm.Guid":
                return Guid.Parse(value.GetString()!, CultureInfo.InvariantCulture);
            case "Edm.Binary":
                return value.GetBytesFromBase64();
            case null:
                return value.ValueKind switch
                {
                    JsonValueKind.String => value.GetString()!,
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    // Without an annotation, a whole number that fits is Int32 and anything else a Double.
                    JsonValueKind.Number => value.TryGetInt32(out int i) ? (object)i : value.GetDouble(),
                    _ => throw new InvalidDataException(
                        string.Create(CultureInfo.InvariantCulture, $"Property '{name}' has an unexpected JSON kind {value.ValueKind}.")),
                };
            default:
                throw new InvalidDataException(
                    string.Create(CultureInfo.InvariantCulture, $"Property '{name}' has unsupported type {type}."));
        }
    }

    private static double ParseDouble(string text) => text switch
    {
        "NaN" => double.NaN,
        "Infinity" or "INF" => double.PositiveInfinity,
        "-Infinity" or "-INF" => double.NegativeInfinity,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    internal static DateTimeOffset ParseDateTime(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
