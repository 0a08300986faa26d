using System.Text;
using System.Text.Json;
namespace HandInHand.Infrastructure.Email;

/// <summary>
/// Reads SendGrid's error body, <c>{"errors":[{"message","field","help"}]}</c>, into one line:
/// <c>field: message; field: message</c>. Only SendGrid's own words are kept (never a raw body,
/// which could be a proxy's page), cut to a sane length, with control characters removed and the
/// API key blanked in case anything ever echoed it.
/// </summary>
internal static class SendGridErrors
{
    private const int MaxEntryLength = 300;
    private const int MaxEntries = 5;

    internal static string Describe(int status, ReadOnlyMemory<byte> content, string apiKey)
    {
        var entries = new List<string>();
        try
        {
            if (!content.IsEmpty)
            {
                using var document = JsonDocument.Parse(content);
                if (document.RootElement.ValueKind == JsonValueKind.Object
                    && document.RootElement.TryGetProperty("errors", out var errors)
                    && errors.ValueKind == JsonValueKind.Array)
                {
                    foreach (var error in errors.EnumerateArray().Take(MaxEntries))
                    {
                        string? message = StringProperty(error, "message");
                        string? field = StringProperty(error, "field");
                        if (message is null && field is null)
                        {
                            continue;
                        }

                        entries.Add(Clean(field is null ? message! : field + ": " + (message ?? "(no message)"), apiKey));
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not SendGrid's JSON: say so below rather than repeat whatever it was.
        }

        return entries.Count > 0
            ? string.Join("; ", entries)
            : $"HTTP {status} without a SendGrid error body";
    }

    private static string? StringProperty(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object
        && element.TryGetProperty(name, out var value)
        && value.ValueKind == JsonValueKind.String
        && !string.IsNullOrWhiteSpace(value.GetString())
            ? value.GetString()
            : null;

    private static string Clean(string text, string apiKey)
    {
        if (apiKey.Length > 0)
        {
            text = text.Replace(apiKey, "[redacted]", StringComparison.Ordinal);
        }

        var clean = new StringBuilder(Math.Min(text.Length, MaxEntryLength));
        foreach (char c in text)
        {
            if (clean.Length == MaxEntryLength)
            {
                clean.Append('…');
                break;
            }

            clean.Append(char.IsControl(c) ? ' ' : c);
        }

        return clean.ToString();
    }
}
