using System.Text.Json;
using System.Text.Json.Serialization;

namespace HandInHand.Host.Functions;

/// <summary>
/// What the Functions host posts to a custom handler for a non-HTTP trigger:
/// <c>{"Data": {binding name: value}, "Metadata": {trigger metadata, "sys": {...}}}</c>.
/// </summary>
public sealed record FunctionInvocation(
    [property: JsonPropertyName("Data")] IReadOnlyDictionary<string, JsonElement>? Data,
    [property: JsonPropertyName("Metadata")] IReadOnlyDictionary<string, JsonElement>? Metadata)
{
    /// <summary>
    /// A binding's value as text: a Service Bus message body arrives as a JSON string, or as the
    /// JSON itself when the body was JSON; both are accepted.
    /// </summary>
    public string? Text(string binding) =>
        Data is not null && Data.TryGetValue(binding, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Null or JsonValueKind.Undefined => null,
                _ => value.GetRawText(),
            }
            : null;
}

/// <summary>
/// The custom handler's reply: <c>{"Outputs": {...}, "Logs": [...], "ReturnValue": ...}</c>. The host
/// writes <c>Logs</c> to the function's log, so they carry counts, names and references only.
/// A status other than 200 tells the host the invocation failed (a Service Bus message is then
/// abandoned and delivered again, and dead-lettered after its maximum delivery count).
/// </summary>
public sealed record FunctionResult(
    [property: JsonPropertyName("Outputs")] IReadOnlyDictionary<string, object?> Outputs,
    [property: JsonPropertyName("Logs")] IReadOnlyList<string> Logs,
    [property: JsonPropertyName("ReturnValue")] object? ReturnValue)
{
    public static IResult Succeeded(string log, object? returnValue = null) =>
        TypedResults.Json(new FunctionResult(new Dictionary<string, object?>(), [log], returnValue), statusCode: StatusCodes.Status200OK);

    public static IResult Failed(string log) =>
        TypedResults.Json(new FunctionResult(new Dictionary<string, object?>(), [log], null), statusCode: StatusCodes.Status500InternalServerError);
}
