using System.Globalization;
using System.Text;

namespace HandInHand.Infrastructure.Mail;

/// <summary>
/// Writes an <see cref="EmailMessage"/> as an RFC 5322 / MIME message (multipart/alternative,
/// text/plain then text/html, UTF-8, quoted-printable), and reads back the few headers the
/// development mailbox lists. Everything written is 7-bit ASCII except an address that is not.
/// </summary>
internal static class EmlFormat
{
    // "=_" can never occur in quoted-printable output ('=' is always followed by two hex digits or a
    // line break), so no body line can be mistaken for this boundary.
    private const string Boundary = "=_hih_alternative_1";
    private const string Crlf = "\r\n";
    private const int MaxEncodedWordBytes = 45; // 45 bytes -> 60 base64 characters -> a 72-character encoded word
    private const int MaxQuotedPrintableLine = 76;

    internal static string Write(EmailMessage message, DateTimeOffset date)
    {
        var text = new StringBuilder();
        text.Append("From: ").Append(Mailbox(message.From)).Append(Crlf)
            .Append("To: ").Append(Mailbox(message.To)).Append(Crlf)
            .Append("Subject: ").Append(Unstructured(message.Subject)).Append(Crlf)
            .Append("Date: ").Append(Rfc5322Date(date)).Append(Crlf)
            .Append("Message-ID: <").Append(message.MessageId).Append('@').Append(DomainOf(message.From)).Append('>').Append(Crlf)
            .Append("MIME-Version: 1.0").Append(Crlf)
            .Append("Content-Type: multipart/alternative; boundary=\"").Append(Boundary).Append('"').Append(Crlf)
            .Append(Crlf)
            .Append("This is a multi-part message in MIME format.").Append(Crlf);
        AppendPart(text, "text/plain", message.PlainText);
        AppendPart(text, "text/html", message.Html);
        text.Append("--").Append(Boundary).Append("--").Append(Crlf);
        return text.ToString();
    }

    /// <summary>The header block of an .eml text, unfolded; names are case-insensitive, the first occurrence wins.</summary>
    internal static Dictionary<string, string> ReadHeaders(TextReader reader)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? name = null;
        var value = new StringBuilder();
        while (reader.ReadLine() is { Length: > 0 } line)
        {
            if (line[0] is ' ' or '\t')
            {
                // Unfolding removes the CRLF only; the whitespace that follows it stays.
                value.Append(line);
                continue;
            }

            Flush();
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                name = null;
                continue;
            }

            name = line[..colon].Trim();
            value.Append(line.AsSpan(colon + 1));
        }

        Flush();
        return headers;

        void Flush()
        {
            if (name is not null)
            {
                headers.TryAdd(name, value.ToString().Trim());
            }

            name = null;
            value.Clear();
        }
    }

    /// <summary>Decodes RFC 2047 encoded words (B and Q, any charset .NET knows) in an unfolded header value.</summary>
    internal static string DecodeWords(string value)
    {
        var result = new StringBuilder();
        int position = 0;
        bool previousWasEncoded = false;
        while (position < value.Length)
        {
            int start = value.IndexOf("=?", position, StringComparison.Ordinal);
            if (start < 0)
            {
                result.Append(value, position, value.Length - position);
                break;
            }

            string between = value[position..start];
            if (TryDecodeWord(value, start, out string decoded, out int end))
            {
                // Whitespace between two adjacent encoded words is not part of the text (RFC 2047 §6.2).
                if (!(previousWasEncoded && string.IsNullOrWhiteSpace(between)))
                {
                    result.Append(between);
                }

                result.Append(decoded);
                previousWasEncoded = true;
                position = end;
            }
            else
            {
                result.Append(between).Append("=?");
                previousWasEncoded = false;
                position = start + 2;
            }
        }

        return result.ToString();
    }

    /// <summary>The sender's domain: a Message-ID names only what the From header already shows (a fixed domain would name the service).</summary>
    internal static string DomainOf(EmailAddress address) => address.Email[(address.Email.LastIndexOf('@') + 1)..];

    internal static string Rfc5322Date(DateTimeOffset date) =>
        date.UtcDateTime.ToString("ddd, dd MMM yyyy HH:mm:ss", CultureInfo.InvariantCulture) + " +0000";

    private static void AppendPart(StringBuilder text, string mediaType, string body)
    {
        text.Append("--").Append(Boundary).Append(Crlf)
            .Append("Content-Type: ").Append(mediaType).Append("; charset=utf-8").Append(Crlf)
            .Append("Content-Transfer-Encoding: quoted-printable").Append(Crlf)
            .Append(Crlf);
        AppendQuotedPrintable(text, body);
        text.Append(Crlf);
    }

    private static string Mailbox(EmailAddress address)
    {
        if (address.Name is null)
        {
            return address.Email;
        }

        string phrase = address.Name.All(c => c is >= ' ' and <= '~')
            ? "\"" + address.Name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\""
            : EncodedWords(address.Name);
        return phrase + " <" + address.Email + ">";
    }

    /// <summary>Plain ASCII as it is; anything else (or text that looks like an encoded word) as RFC 2047 encoded words.</summary>
    private static string Unstructured(string value) =>
        value.All(c => c is >= ' ' and <= '~') && !value.Contains("=?", StringComparison.Ordinal) ? value : EncodedWords(value);

    /// <summary>UTF-8 "B" encoded words of at most 75 characters, folded onto continuation lines; characters are never split.</summary>
    private static string EncodedWords(string value)
    {
        var words = new List<string>();
        var chunk = new List<byte>(MaxEncodedWordBytes);
        Span<byte> buffer = stackalloc byte[4];
        foreach (Rune rune in value.EnumerateRunes())
        {
            int length = rune.EncodeToUtf8(buffer);
            if (chunk.Count + length > MaxEncodedWordBytes)
            {
                words.Add(Word(chunk));
                chunk.Clear();
            }

            for (int i = 0; i < length; i++)
            {
                chunk.Add(buffer[i]);
            }
        }

        if (chunk.Count > 0)
        {
            words.Add(Word(chunk));
        }

        return string.Join(Crlf + " ", words);

        static string Word(List<byte> bytes) => "=?utf-8?B?" + Convert.ToBase64String([.. bytes]) + "?=";
    }

    private static bool TryDecodeWord(string value, int start, out string decoded, out int end)
    {
        decoded = string.Empty;
        end = start;
        int charsetEnd = value.IndexOf('?', start + 2);
        if (charsetEnd < 0 || charsetEnd + 2 >= value.Length || value[charsetEnd + 2] != '?')
        {
            return false;
        }

        int textEnd = value.IndexOf("?=", charsetEnd + 3, StringComparison.Ordinal);
        if (textEnd < 0)
        {
            return false;
        }

        string charset = value[(start + 2)..charsetEnd].Split('*')[0];
        char encoding = char.ToUpperInvariant(value[charsetEnd + 1]);
        string encodedText = value[(charsetEnd + 3)..textEnd];
        try
        {
            var characterSet = Encoding.GetEncoding(charset);
            byte[] bytes = encoding switch
            {
                'B' => Convert.FromBase64String(encodedText),
                'Q' => DecodeQ(encodedText),
                _ => throw new FormatException("Unknown encoded-word encoding."),
            };
            decoded = characterSet.GetString(bytes);
            end = textEnd + 2;
            return true;
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            return false;
        }
    }

    private static byte[] DecodeQ(string text)
    {
        var bytes = new List<byte>(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '_')
            {
                bytes.Add((byte)' ');
            }
            else if (c == '=' && i + 2 < text.Length)
            {
                bytes.Add(byte.Parse(text.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                i += 2;
            }
            else
            {
                bytes.Add((byte)c);
            }
        }

        return [.. bytes];
    }

    /// <summary>
    /// RFC 2045 §6.7: line breaks become CRLF; printable ASCII other than '=' stays; spaces and tabs
    /// stay unless they end a line; every other byte is =XX; lines are cut with a soft break "=" so
    /// that none exceeds 76 characters, never inside an =XX.
    /// </summary>
    private static void AppendQuotedPrintable(StringBuilder text, string body)
    {
        string[] lines = body.ReplaceLineEndings("\n").Split('\n');
        for (int index = 0; index < lines.Length; index++)
        {
            if (index > 0)
            {
                text.Append(Crlf);
            }

            byte[] bytes = Encoding.UTF8.GetBytes(lines[index]);
            int lineLength = 0;
            for (int i = 0; i < bytes.Length; i++)
            {
                byte b = bytes[i];
                bool last = i == bytes.Length - 1;
                bool literal = (b is >= 33 and <= 126 && b != (byte)'=') || (b is (byte)' ' or (byte)'\t' && !last);
                int width = literal ? 1 : 3;

                // Keep room for the soft break's '=' unless this token ends the line.
                int limit = last ? MaxQuotedPrintableLine : MaxQuotedPrintableLine - 1;
                if (lineLength + width > limit)
                {
                    text.Append('=').Append(Crlf);
                    lineLength = 0;
                }

                if (literal)
                {
                    text.Append((char)b);
                }
                else
                {
                    text.Append('=').Append(b.ToString("X2", CultureInfo.InvariantCulture));
                }

                lineLength += width;
            }
        }
    }
}
