namespace HandInHand.Infrastructure.Mail;

/// <summary>
/// Checks on what goes into an <see cref="EmailMessage"/>. Messages fail with the parameter's name
/// and the rule broken, never with the value: a value may be a person's address.
/// </summary>
internal static class MailGuards
{
    internal const int MaxMessageIdLength = 100;
    internal const int MaxSubjectLength = 200;
    internal const int MaxAddressLength = 254;
    internal const int MaxDisplayNameLength = 256;
    internal const int MaxCategories = 10;
    internal const int MaxCategoryLength = 255;

    internal static string MessageId(string? value, string paramName)
    {
        ArgumentException.ThrowIfNullOrEmpty(value, paramName);
        if (value.Length > MaxMessageIdLength)
        {
            throw new ArgumentException($"A message id has at most {MaxMessageIdLength} characters.", paramName);
        }

        foreach (char c in value)
        {
            if (!IsMessageIdCharacter(c))
            {
                throw new ArgumentException("A message id may contain only A-Z, a-z, 0-9 and the characters | . _ -", paramName);
            }
        }

        return value;
    }

    internal static string Subject(string? value, string paramName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, paramName);
        if (value.Length > MaxSubjectLength)
        {
            throw new ArgumentException($"A subject has at most {MaxSubjectLength} characters.", paramName);
        }

        // CR or LF in a subject would start a new header line: header injection.
        if (value.Any(char.IsControl))
        {
            throw new ArgumentException("A subject may not contain line breaks or other control characters.", paramName);
        }

        return value;
    }

    internal static string Body(string? value, string paramName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, paramName);
        return value;
    }

    internal static string Address(string? value, string paramName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, paramName);
        if (value.Length > MaxAddressLength)
        {
            throw new ArgumentException($"An email address has at most {MaxAddressLength} characters.", paramName);
        }

        int at = value.LastIndexOf('@');
        if (at <= 0 || at == value.Length - 1)
        {
            throw new ArgumentException("An email address needs a local part, '@' and a domain.", paramName);
        }

        if (value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or ',' or ';' or '"'))
        {
            throw new ArgumentException("An email address may not contain spaces, control characters or any of < > , ; \"", paramName);
        }

        return value;
    }

    internal static string? DisplayName(string? value, string paramName)
    {
        if (value is null)
        {
            return null;
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(value, paramName);
        if (value.Length > MaxDisplayNameLength)
        {
            throw new ArgumentException($"A display name has at most {MaxDisplayNameLength} characters.", paramName);
        }

        if (value.Any(char.IsControl))
        {
            throw new ArgumentException("A display name may not contain line breaks or other control characters.", paramName);
        }

        return value;
    }

    internal static IReadOnlyDictionary<string, string>? Categories(IReadOnlyDictionary<string, string>? value, string paramName)
    {
        if (value is null)
        {
            return null;
        }

        if (value.Count > MaxCategories)
        {
            throw new ArgumentException($"A message has at most {MaxCategories} categories.", paramName);
        }

        foreach (var (key, text) in value)
        {
            if (string.IsNullOrEmpty(key) || string.IsNullOrEmpty(text))
            {
                throw new ArgumentException("A category needs a non-empty name and value.", paramName);
            }

            if (key.Contains(':', StringComparison.Ordinal))
            {
                throw new ArgumentException("A category name may not contain ':' (it separates the name from the value).", paramName);
            }

            if (!key.All(IsPrintableAscii) || !text.All(IsPrintableAscii))
            {
                throw new ArgumentException("Categories must be printable US-ASCII.", paramName);
            }

            if (key.Length + 1 + text.Length > MaxCategoryLength)
            {
                throw new ArgumentException($"A category, written name:value, has at most {MaxCategoryLength} characters.", paramName);
            }
        }

        return value;
    }

    internal static bool IsMessageIdCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is '|' or '.' or '_' or '-';

    private static bool IsPrintableAscii(char c) => c is >= ' ' and <= '~';
}
