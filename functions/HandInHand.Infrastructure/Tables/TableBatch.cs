using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace HandInHand.Infrastructure.Tables;

/// <summary>One inner request of a changeset.</summary>
internal sealed record BatchOperation(string Method, string Url, string? IfMatch, byte[]? Body, bool PreferNoContent);

/// <summary>One inner response of a changeset response.</summary>
internal sealed record BatchOperationResponse(int Status, IReadOnlyDictionary<string, string> Headers, string Body);

/// <summary>
/// The multipart/mixed wire format of an entity group transaction: one batch holding one
/// changeset; each part is <c>application/http</c> with <c>Content-Transfer-Encoding: binary</c>
/// and a complete inner request with an absolute URL. Lines end in CRLF.
/// </summary>
internal static partial class TableBatch
{
    private const string Crlf = "\r\n";

    internal static byte[] WriteRequest(string batchBoundary, string changesetBoundary, IReadOnlyList<BatchOperation> operations)
    {
        var text = new StringBuilder();
        text.Append("--").Append(batchBoundary).Append(Crlf)
            .Append("Content-Type: multipart/mixed; boundary=").Append(changesetBoundary).Append(Crlf)
            .Append(Crlf);

        for (int i = 0; i < operations.Count; i++)
        {
            var operation = operations[i];
            text.Append("--").Append(changesetBoundary).Append(Crlf)
                .Append("Content-Type: application/http").Append(Crlf)
                .Append("Content-Transfer-Encoding: binary").Append(Crlf)
                .Append(Crlf)
                .Append(operation.Method).Append(' ').Append(operation.Url).Append(" HTTP/1.1").Append(Crlf)
                .Append("Accept: ").Append(TableHeadersPolicy.JsonMinimalMetadata).Append(Crlf)
                .Append("DataServiceVersion: 3.0;").Append(Crlf)
                .Append("Content-ID: ").Append((i + 1).ToString(CultureInfo.InvariantCulture)).Append(Crlf);
            if (operation.PreferNoContent)
            {
                text.Append("Prefer: return-no-content").Append(Crlf);
            }

            if (operation.IfMatch is not null)
            {
                text.Append("If-Match: ").Append(operation.IfMatch).Append(Crlf);
            }

            if (operation.Body is not null)
            {
                string json = Encoding.UTF8.GetString(operation.Body);
                text.Append("Content-Type: application/json").Append(Crlf)
                    .Append("Content-Length: ").Append(operation.Body.Length.ToString(CultureInfo.InvariantCulture)).Append(Crlf)
                    .Append(Crlf)
                    .Append(json).Append(Crlf);
            }
            else
            {
                text.Append(Crlf);
            }
        }

        text.Append("--").Append(changesetBoundary).Append("--").Append(Crlf)
            .Append("--").Append(batchBoundary).Append("--").Append(Crlf);
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>Reads the inner responses of the (single) changeset in a $batch response.</summary>
    /// <exception cref="InvalidDataException">The body is not the expected multipart form.</exception>
    internal static IReadOnlyList<BatchOperationResponse> ReadResponse(string? contentType, string body)
    {
        string batchBoundary = Boundary(contentType)
            ?? throw new InvalidDataException("The $batch response has no multipart boundary.");
        var responses = new List<BatchOperationResponse>();
        foreach (string batchPart in Parts(body, batchBoundary))
        {
            var (headers, content) = SplitHead(batchPart);
            string? changesetBoundary = Boundary(headers.GetValueOrDefault("Content-Type"));
            if (changesetBoundary is null)
            {
                // A part that is itself an HTTP response: the service answered the whole batch
                // with one error instead of a changeset.
                responses.Add(ReadHttpResponse(content));
                continue;
            }

            foreach (string operationPart in Parts(content, changesetBoundary))
            {
                responses.Add(ReadHttpResponse(SplitHead(operationPart).Body));
            }
        }

        return responses;
    }

    /// <summary>The action index the service put in front of a changeset error message ("1:The specified…").</summary>
    internal static int? FailedIndex(string? message)
    {
        if (message is null)
        {
            return null;
        }

        var match = IndexPrefix().Match(message);
        return match.Success && int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int index)
            ? index
            : null;
    }

    private static BatchOperationResponse ReadHttpResponse(string text)
    {
        // Tolerate stray lines before the status line (Azurite 3.37 repeats the boundary there
        // when it refuses a changeset of more than 100 operations).
        int statusStart = text.StartsWith("HTTP/", StringComparison.Ordinal) ? 0 : text.IndexOf("\nHTTP/", StringComparison.Ordinal) + 1;
        var (head, body) = SplitHead(text[statusStart..], out string statusLine);
        // "HTTP/1.1 204 No Content"
        string[] pieces = statusLine.Split(' ', 3);
        if (pieces.Length < 2 || !int.TryParse(pieces[1], NumberStyles.None, CultureInfo.InvariantCulture, out int status))
        {
            throw new InvalidDataException("A $batch inner response has no valid status line.");
        }

        return new BatchOperationResponse(status, head, body.TrimEnd('\r', '\n'));
    }

    private static string? Boundary(string? contentType)
    {
        if (contentType is null)
        {
            return null;
        }

        var match = BoundaryParameter().Match(contentType);
        return match.Success ? match.Groups[1].Value.Trim('"') : null;
    }

    private static List<string> Parts(string body, string boundary)
    {
        string delimiter = "--" + boundary;
        var parts = new List<string>();
        int position = body.IndexOf(delimiter, StringComparison.Ordinal);
        while (position >= 0)
        {
            int start = position + delimiter.Length;
            if (string.CompareOrdinal(body, start, "--", 0, 2) == 0)
            {
                break; // closing delimiter
            }

            int next = body.IndexOf(delimiter, start, StringComparison.Ordinal);
            if (next < 0)
            {
                throw new InvalidDataException("A multipart body is not terminated.");
            }

            parts.Add(body[start..next].TrimStart(' ', '\t').TrimStart('\r', '\n'));
            position = next;
        }

        return parts;
    }

    private static (Dictionary<string, string> Headers, string Body) SplitHead(string text) => SplitHead(text, out _, firstLineIsHeader: true);

    private static (Dictionary<string, string> Headers, string Body) SplitHead(string text, out string firstLine) =>
        SplitHead(text, out firstLine, firstLineIsHeader: false);

    private static (Dictionary<string, string> Headers, string Body) SplitHead(string text, out string firstLine, bool firstLineIsHeader)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        firstLine = string.Empty;
        int position = 0;
        bool first = !firstLineIsHeader;
        while (position < text.Length)
        {
            int end = text.IndexOf('\n', position);
            if (end < 0)
            {
                end = text.Length;
            }

            string line = text[position..end].TrimEnd('\r');
            position = Math.Min(end + 1, text.Length);
            if (first)
            {
                firstLine = line;
                first = false;
                continue;
            }

            if (line.Length == 0)
            {
                break;
            }

            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }

        return (headers, text[position..]);
    }

    [GeneratedRegex(@"boundary=(""[^""]+""|[^;\s]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BoundaryParameter();

    [GeneratedRegex(@"^\s*(\d+)\s*:", RegexOptions.CultureInvariant)]
    private static partial Regex IndexPrefix();
}
