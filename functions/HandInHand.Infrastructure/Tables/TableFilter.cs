using System.Globalization;

namespace HandInHand.Infrastructure.Tables;

/// <summary>
/// Builds OData <c>$filter</c> expressions from interpolated strings, turning every interpolated
/// value into a correctly quoted and escaped literal, so data never becomes filter syntax:
/// <c>TableFilter.Create($"PartitionKey eq {pk} and Count gt {n}")</c>.
/// </summary>
public static class TableFilter
{
    /// <summary>
    /// Formats <paramref name="filter"/>, replacing each argument by its OData literal:
    /// string → <c>'it''s'</c>, Guid → <c>guid'…'</c>, DateTimeOffset → <c>datetime'…Z'</c> (UTC, 7 fractional
    /// digits), long → <c>123L</c>, int → <c>123</c>, bool → <c>true</c>/<c>false</c>, double → <c>1.5</c>,
    /// byte[] → <c>X'0a1b'</c>.
    /// </summary>
    /// <exception cref="ArgumentException">An argument is null, a non-finite double, or of another type.</exception>
    public static string Create(FormattableString filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        object?[] arguments = filter.GetArguments();
        var literals = new object[arguments.Length];
        for (int i = 0; i < arguments.Length; i++)
        {
            literals[i] = Literal(arguments[i], i);
        }

        return string.Format(CultureInfo.InvariantCulture, filter.Format, literals);
    }

    private static string Literal(object? value, int index) => value switch
    {
        null => throw new ArgumentException(
            string.Create(CultureInfo.InvariantCulture, $"Filter argument {index} is null; table storage has no null values."), nameof(value)),
        string s => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'",
        bool b => b ? "true" : "false",
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture) + "L",
        double d => DoubleLiteral(d, index),
        Guid g => "guid'" + g.ToString("D", CultureInfo.InvariantCulture) + "'",
        DateTimeOffset t => "datetime'" + EntityJson.FormatDateTime(t) + "'",
        byte[] bytes => "X'" + Convert.ToHexStringLower(bytes) + "'",
        _ => throw new ArgumentException(
            string.Create(CultureInfo.InvariantCulture, $"Filter argument {index} has unsupported type {value.GetType().Name}."), nameof(value)),
    };

    private static string DoubleLiteral(double value, int index)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Filter argument {index} is not a finite number."), nameof(value));
        }

        string text = value.ToString("R", CultureInfo.InvariantCulture);
        // A bare "2" would be an Int32 literal; keep the double a double.
        return text.AsSpan().IndexOfAny(".Ee") >= 0 ? text : text + ".0";
    }
}
