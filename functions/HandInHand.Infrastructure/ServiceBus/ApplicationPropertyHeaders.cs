using System.Globalization;
using System.Text.Json;
using Azure.Core;

namespace HandInHand.Infrastructure.ServiceBus;

/// <summary>
/// Custom message properties as the REST API carries them: one HTTP header per property. The broker
/// infers the type from the text: a value in double quotes is a string (or a DateTime when it is an
/// RFC 2616 date), <c>true</c>/<c>false</c> a Boolean, an integer an Int64, another number a Double;
/// anything else is rejected. In a batch they are the <c>UserProperties</c> JSON object instead.
/// </summary>
internal static class ApplicationPropertyHeaders
{
    // Response headers that are HTTP's or Service Bus's own, never custom properties.
    private static readonly HashSet<string> StandardResponseHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "BrokerProperties", "Cache-Control", "Connection", "Content-Encoding", "Content-Length", "Content-Type",
        "Date", "ETag", "Expires", "Keep-Alive", "Last-Modified", "Location", "Pragma", "Retry-After",
        "Server", "Set-Cookie", "Strict-Transport-Security", "Transfer-Encoding", "Vary",
    };

    /// <summary>The header text for a value already checked by <see cref="ServiceBusGuards.ApplicationProperty"/>.</summary>
    internal static string Encode(object value) => value switch
    {
        string text => "\"" + text + "\"",
        bool flag => flag ? "true" : "false",
        int number => number.ToString(CultureInfo.InvariantCulture),
        long number => number.ToString(CultureInfo.InvariantCulture),
        _ => throw new ArgumentException("Unsupported application property type.", nameof(value)),
    };

    internal static void WriteJson(Utf8JsonWriter writer, string name, object value)
    {
        switch (value)
        {
            case string text:
                writer.WriteString(name, text);
                break;
            case bool flag:
                writer.WriteBoolean(name, flag);
                break;
            case int number:
                writer.WriteNumber(name, number);
                break;
            case long number:
                writer.WriteNumber(name, number);
                break;
            default:
                throw new ArgumentException("Unsupported application property type.", nameof(value));
        }
    }

    /// <summary>The custom properties among a received message's response headers.</summary>
    internal static Dictionary<string, object> Read(ResponseHeaders headers)
    {
        var properties = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in headers)
        {
            if (StandardResponseHeaders.Contains(header.Name)
                || header.Name.StartsWith("x-ms-", StringComparison.OrdinalIgnoreCase)
                || header.Name.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (TryDecode(header.Value, out var value))
            {
                properties[header.Name] = value;
            }
        }

        return properties;
    }

    internal static bool TryDecode(string raw, out object value)
    {
        string text = raw.Trim();
        if (text.Length >= 2 && text[0] == '"' && text[^1] == '"')
        {
            string inner = text[1..^1];
            value = BrokerPropertiesJson.ParseRfc1123(inner) is { } date ? date : inner;
            return true;
        }

        if (text is "true" or "false")
        {
            value = text == "true";
            return true;
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            value = integer;
            return true;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
        {
            value = real;
            return true;
        }

        value = string.Empty;
        return false;
    }
}
