using Azure.Core;

namespace HandInHand.Infrastructure.Tables;

/// <summary>
/// Whether re-sending a request after an ambiguous failure could apply it twice. Every message
/// the client creates is marked; an unmarked message is treated as not idempotent.
/// </summary>
internal enum RequestSafety
{
    /// <summary>Insert (POST to a table) and $batch: re-send only when the answer proves nothing was applied.</summary>
    NotIdempotent,

    /// <summary>Reads, conditional writes, upserts, deletes, table create/delete: safe to re-send.</summary>
    Idempotent,
}

internal static class RequestSafetyExtensions
{
    private const string PropertyName = "HandInHand.Tables.RequestSafety";

    internal static void SetSafety(this HttpMessage message, RequestSafety safety) => message.SetProperty(PropertyName, safety);

    internal static RequestSafety GetSafety(this HttpMessage message) =>
        message.TryGetProperty(PropertyName, out var value) && value is RequestSafety safety ? safety : RequestSafety.NotIdempotent;
}
