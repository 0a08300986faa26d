using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace HandInHand.Infrastructure.Tests.Mail;

/// <summary>
/// A test-side reader for the .eml files the development mailbox writes, written apart from the
/// production code so that the two cannot share a mistake: headers (unfolded, RFC 2047 decoded),
/// multipart/alternative parts, quoted-printable and base64 bodies.
/// </summary>
public sealed partial class EmlReader
{
    private EmlReader(string raw, List<KeyValuePair<string, string>> headers, string body)
    {
        Raw = raw;
        RawHeaders = headers;
        Body = body;
    }

    public string Raw { get; }

    /// <summary>Header values unfolded but not decoded.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> RawHeaders { get; }

    public string Body { get; }

    public static EmlReader Parse(string raw)
    {
        int split = raw.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(split > 0, "no blank line after the headers");
        var headers = new List<KeyValuePair<string, string>>();
        foreach (string line in raw[..split].Split("\r\n"))
        {
            if (line.StartsWith(' ') || line.StartsWith('\t'))
            {
                var last = headers[^1];
                headers[^1] = new(last.Key, last.Value + line);
            }
            else
            {
                int colon = line.IndexOf(':', StringComparison.Ordinal);
                Assert.True(colon > 0, $"not a header line: {line}");
                headers.Add(new(line[..colon], line[(colon + 1)..].TrimStart()));
            }
        }

        return new EmlReader(raw, headers, raw[(split + 4)..]);
    }

    public string? RawHeader(string name) =>
        RawHeaders.Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).SingleOrDefault();

    /// <summary>The header with RFC 2047 encoded words decoded.</summary>
    public string? Header(string name) => RawHeader(name) is { } value ? DecodeWords(value) : null;

    public IReadOnlyList<EmlReader> Parts()
    {
        string contentType = RawHeader("Content-Type") ?? throw new InvalidOperationException("no Content-Type");
        var boundary = BoundaryParameter().Match(contentType);
        Assert.True(boundary.Success, "no boundary parameter");
        string delimiter = "--" + boundary.Groups[1].Value;
        var parts = new List<EmlReader>();
        string[] sections = ("\r\n" + Body).Split("\r\n" + delimiter);
        Assert.True(sections.Length >= 3, "fewer than two parts");
        Assert.StartsWith("--", sections[^1], StringComparison.Ordinal);
        foreach (string section in sections[1..^1])
        {
            Assert.StartsWith("\r\n", section, StringComparison.Ordinal);
            parts.Add(Parse(section[2..]));
        }

        return parts;
    }

    /// <summary>The body decoded by its Content-Transfer-Encoding and charset.</summary>
    public string DecodedBody()
    {
        string encoding = (RawHeader("Content-Transfer-Encoding") ?? "7bit").Trim().ToLowerInvariant();
        var charset = CharsetParameter().Match(RawHeader("Content-Type") ?? string.Empty);
        var textEncoding = Encoding.GetEncoding(charset.Success ? charset.Groups[1].Value : "us-ascii");
        byte[] bytes = encoding switch
        {
            "quoted-printable" => DecodeQuotedPrintable(Body),
            "base64" => Convert.FromBase64String(Body.Replace("\r\n", string.Empty, StringComparison.Ordinal)),
            _ => Encoding.ASCII.GetBytes(Body),
        };
        return textEncoding.GetString(bytes);
    }

    public static string DecodeWords(string value)
    {
        // Whitespace between adjacent encoded words disappears (RFC 2047 §6.2).
        string joined = BetweenWords().Replace(value, "?==?");
        return EncodedWord().Replace(joined, m =>
        {
            var charset = Encoding.GetEncoding(m.Groups[1].Value);
            string text = m.Groups[3].Value;
            byte[] bytes = m.Groups[2].Value.Equals("B", StringComparison.OrdinalIgnoreCase)
                ? Convert.FromBase64String(text)
                : DecodeQuotedPrintable(text.Replace('_', ' '));
            return charset.GetString(bytes);
        });
    }

    public static byte[] DecodeQuotedPrintable(string text)
    {
        var bytes = new List<byte>();
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] != '=')
            {
                bytes.Add((byte)text[i]);
            }
            else if (text.AsSpan(i + 1).StartsWith("\r\n"))
            {
                i += 2; // soft line break
            }
            else
            {
                bytes.Add(byte.Parse(text.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                i += 2;
            }
        }

        return [.. bytes];
    }

    [GeneratedRegex(@"\?=\s+=\?")]
    private static partial Regex BetweenWords();

    [GeneratedRegex(@"=\?([^?]+)\?([BbQq])\?([^?]*)\?=")]
    private static partial Regex EncodedWord();

    [GeneratedRegex("boundary=\"([^\"]+)\"")]
    private static partial Regex BoundaryParameter();

    [GeneratedRegex(@"charset=""?([A-Za-z0-9_-]+)")]
    private static partial Regex CharsetParameter();
}
