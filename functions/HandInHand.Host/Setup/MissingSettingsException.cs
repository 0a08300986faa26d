namespace HandInHand.Host.Setup;

/// <summary>Start-up found required settings missing; the message names every one of them (names only, never values).</summary>
public sealed class MissingSettingsException : Exception
{
    public MissingSettingsException(IReadOnlyList<string> missing)
        : base(Describe(missing))
    {
        Missing = missing;
    }

    public MissingSettingsException()
        : this([])
    {
    }

    public MissingSettingsException(string message)
        : base(message)
    {
        Missing = [];
    }

    public MissingSettingsException(string message, Exception innerException)
        : base(message, innerException)
    {
        Missing = [];
    }

    /// <summary>The configuration keys (<c>Section:Key</c>) that are missing.</summary>
    public IReadOnlyList<string> Missing { get; }

    private static string Describe(IReadOnlyList<string> missing) =>
        "HandInHand cannot start: these required settings are missing (as app settings or environment variables, write ':' as '__'): "
        + string.Join(", ", missing) + ".";
}
