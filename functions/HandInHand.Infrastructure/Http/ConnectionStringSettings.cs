namespace HandInHand.Infrastructure.Http;

/// <summary>Splits an Azure-style connection string (<c>Name=Value;Name=Value</c>) into its settings.</summary>
internal static class ConnectionStringSettings
{
    /// <summary>
    /// The settings by name (case-insensitive; a repeated name keeps its last value). The error for a
    /// malformed segment never echoes the string, which holds a key.
    /// </summary>
    internal static Dictionary<string, string> Parse(string connectionString, string paramName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString, paramName);
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string segment in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int equals = segment.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new ArgumentException("The connection string has a segment that is not Name=Value.", paramName);
            }

            // Values may contain '=' (Base64 keys end in it), so split on the first one only.
            settings[segment[..equals].Trim()] = segment[(equals + 1)..].Trim();
        }

        return settings;
    }
}
