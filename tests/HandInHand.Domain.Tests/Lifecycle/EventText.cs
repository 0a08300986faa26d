using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using HandInHand.Domain.Lifecycle;

namespace HandInHand.Domain.Tests.Lifecycle;

/// <summary>
/// An event as one line of canonical JSON, prefixed by its type name. Records holding
/// <see cref="IReadOnlyList{T}"/> or <see cref="IReadOnlyDictionary{TKey, TValue}"/> compare those
/// members by reference, so the specifications compare this text instead: lists keep their order,
/// object and dictionary keys are sorted, enums read as names.
/// </summary>
internal static class EventText
{
    // Relaxed escaping only so a failing specification prints "+00:00" rather than "\u002B00:00".
    private static readonly JsonSerializerOptions Options = new()
    {
        Converters = { new JsonStringEnumConverter() },
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Of(ReferralEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var node = JsonSerializer.SerializeToNode(e, e.GetType(), Options);
        return $"{e.GetType().Name} {Canonical(node)?.ToJsonString(Options)}";
    }

    private static JsonNode? Canonical(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Canonical(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Canonical)]),
        null => null,
        _ => node.DeepClone(),
    };
}
