using System.Globalization;

namespace HandInHand.Infrastructure.Tables;

/// <summary>
/// Argument checks that run before any request is built. Messages name the offending field,
/// never its value: keys may hold personal data.
/// </summary>
internal static class TableGuards
{
    // Keys are stored as UTF-16 and may take up to 1 KiB, i.e. 512 UTF-16 code units.
    private const int MaxKeyBytes = 1024;

    internal static void TableName(string name, string paramName)
    {
        ArgumentNullException.ThrowIfNull(name, paramName);
        bool valid = name.Length is >= 3 and <= 63
            && char.IsAsciiLetter(name[0])
            && name.All(char.IsAsciiLetterOrDigit);
        if (!valid)
        {
            throw new ArgumentException(
                "A table name must have 3 to 63 ASCII letters or digits and start with a letter.", paramName);
        }

        if (string.Equals(name, "tables", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException("'tables' is a reserved table name.", paramName);
        }
    }

    /// <param name="key">The key value.</param>
    /// <param name="field"><c>PartitionKey</c> or <c>RowKey</c>: the only thing the message reveals.</param>
    /// <param name="paramName">The method parameter that carried the key.</param>
    internal static void Key(string? key, string field, string paramName)
    {
        if (key is null)
        {
            throw new ArgumentNullException(paramName, string.Create(CultureInfo.InvariantCulture, $"{field} cannot be null."));
        }

        if (key.Length * sizeof(char) > MaxKeyBytes)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"{field} is longer than 1 KiB (512 UTF-16 characters)."), paramName);
        }

        foreach (char c in key)
        {
            if (c is '/' or '\\' or '#' or '?' || c <= '\u001F' || (c >= '\u007F' && c <= '\u009F'))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"{field} contains a character Table storage does not allow in keys ('/', '\\', '#', '?' or a control character)."),
                    paramName);
            }
        }
    }

    internal static void EntityKeys(TableEntity entity, string paramName)
    {
        ArgumentNullException.ThrowIfNull(entity, paramName);
        Key(entity.PartitionKey, TableEntity.PartitionKeyName, paramName);
        Key(entity.RowKey, TableEntity.RowKeyName, paramName);
    }

    internal static IReadOnlyList<string>? Select(IEnumerable<string>? select, string paramName)
    {
        if (select is null)
        {
            return null;
        }

        var names = new List<string>();
        foreach (string name in select)
        {
            if (name is null)
            {
                throw new ArgumentException("Selected property names cannot be null.", paramName);
            }

            if (name is TableEntity.PartitionKeyName or TableEntity.RowKeyName or TableEntity.TimestampName)
            {
                names.Add(name);
                continue;
            }

            TableEntity.ValidatePropertyName(name);
            names.Add(name);
        }

        return names;
    }
}
