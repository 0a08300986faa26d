using System.Text.Json;

namespace HandInHand.Host.Web;

/// <summary>
/// What every JSON body the app reads has in common: a leading UTF-8 byte-order mark is not
/// content (some editors and shells write one), and a property given twice is an error, never a
/// silent "last one wins" (the options that read bodies set
/// <see cref="JsonSerializerOptions.AllowDuplicateProperties"/> to false, for objects and
/// dictionaries alike).
/// </summary>
public static class JsonBody
{
    private static ReadOnlySpan<byte> Utf8ByteOrderMark => [0xEF, 0xBB, 0xBF];

    /// <summary>The message of a field error for a property given more than once.</summary>
    public const string DuplicateMessage = "This field is given more than once. Give it once.";

    /// <summary>
    /// Reads a small JSON body as <typeparamref name="T"/> with <paramref name="options"/>: an empty
    /// body is an empty object; a body over <paramref name="maxBytes"/> is a 413; a body that does not
    /// fit is a 400 naming the field (<paramref name="invalidMessage"/>, or <see cref="DuplicateMessage"/>).
    /// </summary>
    public static async Task<(T? Body, IResult? Problem)> ReadAsync<T>(HttpRequest request, int maxBytes, JsonSerializerOptions options, string invalidMessage, CancellationToken cancellationToken = default)
        where T : class, new()
    {
        var bytes = await RequestBody.ReadLimitedAsync(request, maxBytes, cancellationToken).ConfigureAwait(false);
        if (bytes is null)
        {
            return (null, Problems.Status(StatusCodes.Status413PayloadTooLarge, "Request too large", $"The body may be at most {maxBytes / 1024} KiB."));
        }

        var json = WithoutByteOrderMark(bytes);
        if (json.IsEmpty)
        {
            return (new T(), null);
        }

        try
        {
            return (JsonSerializer.Deserialize<T>(json.Span, options) ?? new T(), null);
        }
        catch (JsonException ex)
        {
            return (null, Problems.Fields(new Domain.Referrals.FieldError(FieldOf(ex.Path), IsDuplicateProperty(ex) ? DuplicateMessage : invalidMessage)));
        }
    }

    /// <summary><paramref name="body"/> without its UTF-8 byte-order mark, if it has one.</summary>
    public static ReadOnlyMemory<byte> WithoutByteOrderMark(byte[] body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return body.AsSpan().StartsWith(Utf8ByteOrderMark) ? body.AsMemory(Utf8ByteOrderMark.Length) : body;
    }

    /// <summary>
    /// True when the serializer refused a property given twice. The exception carries no code of
    /// its own, so its message (the serializer's, not the caller's text) is what tells it apart.
    /// </summary>
    public static bool IsDuplicateProperty(JsonException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.Message.StartsWith("Duplicate propert", StringComparison.Ordinal);
    }

    /// <summary>A JSON path such as <c>$.youngPerson.firstName</c> or <c>$['myWheel']['safety']</c> as a field name (<c>body</c> for the whole).</summary>
    public static string FieldOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "body";
        }

        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        return field.Replace("['", ".", StringComparison.Ordinal).Replace("']", string.Empty, StringComparison.Ordinal).TrimStart('.');
    }
}
