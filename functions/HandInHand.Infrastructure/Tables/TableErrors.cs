using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure;

namespace HandInHand.Infrastructure.Tables;

/// <summary>
/// Turns service answers into <see cref="TableStorageException"/>s. Only the status, the error
/// code, the operation, the table name and the request id reach a message; the service's own
/// message text is left out because it can quote request data.
/// </summary>
internal static partial class TableErrors
{
    internal const string ServerBusy = "ServerBusy";
    private const string ErrorCodeHeader = "x-ms-error-code";
    private const string RequestIdHeader = "x-ms-request-id";

    internal static TableFailureKind KindOf(int status) => status switch
    {
        400 => TableFailureKind.BadRequest,
        404 => TableFailureKind.NotFound,
        409 => TableFailureKind.Conflict,
        412 => TableFailureKind.PreconditionFailed,
        429 or 503 => TableFailureKind.Throttled,
        _ => TableFailureKind.Other,
    };

    /// <summary>The error code from the <c>x-ms-error-code</c> header, else from the JSON or XML body.</summary>
    internal static string? ErrorCode(Response response)
    {
        if (response.Headers.TryGetValue(ErrorCodeHeader, out var header) && !string.IsNullOrEmpty(header))
        {
            return header;
        }

        return ErrorCodeFromBody(response.Content?.ToString());
    }

    internal static string? ErrorCodeFromBody(string? body) => ParseErrorBody(body).Code;

    /// <summary>Reads <c>{"odata.error":{"code":…,"message":{"value":…}}}</c> (or the XML error form).</summary>
    internal static (string? Code, string? Message) ParseErrorBody(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return (null, null);
        }

        string trimmed = body.TrimStart();
        if (trimmed.StartsWith('{'))
        {
            try
            {
                using var document = JsonDocument.Parse(trimmed);
                if (document.RootElement.TryGetProperty("odata.error", out var error))
                {
                    string? code = error.TryGetProperty("code", out var c) ? c.GetString() : null;
                    string? message = error.TryGetProperty("message", out var m)
                        ? m.ValueKind == JsonValueKind.Object && m.TryGetProperty("value", out var v) ? v.GetString() : m.ToString()
                        : null;
                    return (code, message);
                }
            }
            catch (JsonException)
            {
                return (null, null);
            }

            return (null, null);
        }

        var xmlCode = XmlCode().Match(trimmed);
        var xmlMessage = XmlMessage().Match(trimmed);
        return (xmlCode.Success ? xmlCode.Groups[1].Value : null, xmlMessage.Success ? xmlMessage.Groups[1].Value : null);
    }

    internal static TableStorageException FromResponse(Response response, string operation, string table, TableFailureKind? kind = null) =>
        Create(kind ?? KindOf(response.Status), response.Status, ErrorCode(response), operation, table, RequestId(response));

    internal static TableStorageException Create(
        TableFailureKind kind, int status, string? errorCode, string operation, string table, string? requestId, Exception? inner = null) =>
        new(kind, status, errorCode, Describe(kind, status, errorCode, operation, table, requestId), inner);

    internal static string? RequestId(Response response) =>
        response.Headers.TryGetValue(RequestIdHeader, out var id) ? id : null;

    internal static string Describe(TableFailureKind kind, int status, string? errorCode, string operation, string table, string? requestId)
    {
        string answer = status == 0 ? "no response" : string.Create(CultureInfo.InvariantCulture, $"status {status}");
        string code = errorCode ?? "no error code";
        string id = requestId is null ? string.Empty : $" Request id {requestId}.";
        string meaning = kind switch
        {
            TableFailureKind.OutcomeUnknown => " The write may or may not have been applied: read the data back before deciding what to do.",
            TableFailureKind.Throttled => " The service stayed busy through every retry.",
            _ => string.Empty,
        };
        return string.Create(CultureInfo.InvariantCulture, $"{operation} on table '{table}' failed: {answer} ({code}), {kind}.{meaning}{id}");
    }

    [GeneratedRegex("<Code>([^<]*)</Code>", RegexOptions.CultureInvariant)]
    private static partial Regex XmlCode();

    [GeneratedRegex("<Message>([^<]*)</Message>", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex XmlMessage();
}
