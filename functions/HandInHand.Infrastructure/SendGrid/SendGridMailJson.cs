using System.Text.Json;
using HandInHand.Infrastructure.Mail;

namespace HandInHand.Infrastructure.SendGrid;

/// <summary>
/// The v3 Mail Send request body for one message to one recipient:
/// <c>personalizations[{to, custom_args}]</c>, <c>from</c>, <c>subject</c>,
/// <c>content[text/plain, text/html]</c> (SendGrid requires text/plain first), <c>categories</c> when
/// there are any, <c>mail_settings.sandbox_mode</c> when asked for. Nothing else.
/// </summary>
internal static class SendGridMailJson
{
    internal const string MessageIdArgument = "hih_message_id";

    internal static byte[] Serialize(EmailMessage message, bool sandboxMode)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();

            json.WriteStartArray("personalizations");
            json.WriteStartObject();
            json.WriteStartArray("to");
            WriteAddress(json, message.To);
            json.WriteEndArray();
            json.WriteStartObject("custom_args");
            json.WriteString(MessageIdArgument, message.MessageId);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndArray();

            json.WritePropertyName("from");
            WriteAddress(json, message.From);
            json.WriteString("subject", message.Subject);

            json.WriteStartArray("content");
            WriteContent(json, "text/plain", message.PlainText);
            WriteContent(json, "text/html", message.Html);
            json.WriteEndArray();

            if (message.Categories is { Count: > 0 } categories)
            {
                json.WriteStartArray("categories");
                foreach (var (name, value) in categories.OrderBy(c => c.Key, StringComparer.Ordinal))
                {
                    json.WriteStringValue(name + ":" + value);
                }

                json.WriteEndArray();
            }

            if (sandboxMode)
            {
                json.WriteStartObject("mail_settings");
                json.WriteStartObject("sandbox_mode");
                json.WriteBoolean("enable", true);
                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteAddress(Utf8JsonWriter json, EmailAddress address)
    {
        json.WriteStartObject();
        json.WriteString("email", address.Email);
        if (address.Name is not null)
        {
            json.WriteString("name", address.Name);
        }

        json.WriteEndObject();
    }

    private static void WriteContent(Utf8JsonWriter json, string type, string value)
    {
        json.WriteStartObject();
        json.WriteString("type", type);
        json.WriteString("value", value);
        json.WriteEndObject();
    }
}
