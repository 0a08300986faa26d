using System.Globalization;
using HandInHand.Domain.Referrals;

namespace HandInHand.Host.Web;

/// <summary>
/// Reads the query string of one request into typed values, collecting a field error (keyed by the
/// parameter's name) for each value that does not fit, so that an endpoint answers bad input with
/// one 400 problem instead of a binding failure or an exception. The messages never repeat the
/// value, which may be anything a caller typed.
/// </summary>
/// <remarks>
/// Rules shared by every parameter: an empty value counts as absent (an HTML form sends its empty
/// fields); a parameter given twice is an error rather than a silent choice of one; names of
/// choices match whatever their case. Only parameters the endpoint declares with
/// <see cref="QueryParameterEndpointExtensions.WithQueryParameter{TBuilder}"/> may be read, so the
/// declarations stay a complete list of what each route takes.
/// </remarks>
public sealed class QueryValues
{
    private readonly IQueryCollection _query;
    private readonly HashSet<string> _declared;
    private readonly List<FieldError> _errors = [];

    private QueryValues(IQueryCollection query, IEnumerable<string> declared)
    {
        _query = query;
        _declared = new HashSet<string>(declared, StringComparer.Ordinal);
    }

    /// <summary>The field errors found so far, in the order the values were read.</summary>
    public IReadOnlyList<FieldError> Errors => _errors;

    /// <summary>True when every value read so far was acceptable.</summary>
    public bool IsValid => _errors.Count == 0;

    /// <summary>The query values of <paramref name="request"/>, readable for the parameters its endpoint declares.</summary>
    public static QueryValues Of(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var declared = request.HttpContext.GetEndpoint()?.Metadata.GetOrderedMetadata<QueryParameter>().Select(p => p.Name) ?? [];
        return new QueryValues(request.Query, declared);
    }

    /// <summary>A calendar date written <c>YYYY-MM-DD</c>, from <paramref name="earliest"/> to <paramref name="latest"/>; null when absent or wrong.</summary>
    public DateOnly? Date(string name, DateOnly earliest, DateOnly latest)
    {
        var text = Single(name);
        if (text is null)
        {
            return null;
        }

        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return Fail<DateOnly>(name, "Give a date as YYYY-MM-DD.");
        }

        return date >= earliest && date <= latest
            ? date
            : Fail<DateOnly>(name, string.Create(CultureInfo.InvariantCulture, $"Give a date from {earliest:yyyy-MM-dd} to {latest:yyyy-MM-dd}."));
    }

    /// <summary>One of an enumeration's names, in any case (never its number); null when absent or wrong.</summary>
    public TEnum? Choice<TEnum>(string name)
        where TEnum : struct, Enum
    {
        var text = Single(name);
        if (text is null)
        {
            return null;
        }

        foreach (var value in Enum.GetValues<TEnum>())
        {
            if (string.Equals(value.ToString(), text, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return Fail<TEnum>(name, "Choose one of: " + string.Join(", ", Enum.GetNames<TEnum>()) + ".");
    }

    /// <summary>One of <paramref name="codes"/>, in any case, answered in the list's own spelling; null when absent or wrong.</summary>
    public string? Code(string name, IReadOnlyList<string> codes)
    {
        ArgumentNullException.ThrowIfNull(codes);
        var text = Single(name);
        if (text is null)
        {
            return null;
        }

        var match = codes.FirstOrDefault(c => string.Equals(c, text, StringComparison.OrdinalIgnoreCase));
        if (match is null)
        {
            _errors.Add(new(name, "Choose one of: " + string.Join(", ", codes) + "."));
        }

        return match;
    }

    /// <summary><c>true</c> or <c>false</c>, in any case; null when absent or wrong.</summary>
    public bool? Flag(string name)
    {
        var text = Single(name);
        return text is null ? null
            : string.Equals(text, "true", StringComparison.OrdinalIgnoreCase) ? true
            : string.Equals(text, "false", StringComparison.OrdinalIgnoreCase) ? false
            : Fail<bool>(name, "Give true or false.");
    }

    /// <summary>A referral reference such as <c>HH-2026-00042</c>, in its usual spelling; null when absent or wrong.</summary>
    public string? Reference(string name)
    {
        var text = Single(name);
        if (text is null)
        {
            return null;
        }

        if (!ReferenceNumber.TryParse(text, out var reference))
        {
            _errors.Add(new(name, "Give a reference such as HH-2026-00042."));
            return null;
        }

        return reference.ToString();
    }

    /// <summary>A path on this site to go on to (see <see cref="IsLocalPath"/>); null when absent or not one.</summary>
    public string? LocalPath(string name)
    {
        var text = Single(name);
        if (text is not null && !IsLocalPath(text))
        {
            _errors.Add(new(name, "Give a page of this site: a path starting with a single /."));
            return null;
        }

        return text;
    }

    /// <summary>
    /// True for a path on this site: one leading slash, then no second slash or backslash (which a
    /// browser would read as another host), and no control characters. Anything else is not followed.
    /// </summary>
    public static bool IsLocalPath(string? url) =>
        !string.IsNullOrEmpty(url) && url.Length <= 2048 && url[0] == '/'
        && (url.Length == 1 || url[1] != '/')
        && !url.Any(c => char.IsControl(c) || c == '\\');

    /// <summary>An identifier of ASCII letters, digits and hyphens, at most <paramref name="maxLength"/> long, in lower case; null when absent or wrong.</summary>
    public string? Identifier(string name, int maxLength, string message)
    {
        var text = Single(name);
        if (text is null)
        {
            return null;
        }

        if (text.Length > maxLength || !text.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            _errors.Add(new(name, message));
            return null;
        }

        return text.ToLowerInvariant();
    }

    /// <summary>The one non-empty value of <paramref name="name"/>; null when absent, empty or repeated (the last with an error).</summary>
    private string? Single(string name)
    {
        if (!_declared.Contains(name))
        {
            // A programming error, not a caller's: the endpoint reads a parameter it did not declare.
            throw new InvalidOperationException($"The endpoint reads the query parameter '{name}' without declaring it with WithQueryParameter.");
        }

        var values = _query[name];
        if (values.Count > 1)
        {
            _errors.Add(new(name, $"Give {name} once."));
            return null;
        }

        var text = values.ToString();
        return string.IsNullOrEmpty(text) ? null : text;
    }

    private T? Fail<T>(string name, string message)
        where T : struct
    {
        _errors.Add(new(name, message));
        return null;
    }
}
