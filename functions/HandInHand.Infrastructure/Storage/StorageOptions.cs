namespace HandInHand.Infrastructure.Storage;

/// <summary>
/// Where the app keeps its state. Either <see cref="ConnectionString"/> (shared key; Azurite and
/// local runs) or <see cref="TableEndpoint"/> (Entra ID through the managed identity in Azure).
/// </summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>A storage connection string, including <c>UseDevelopmentStorage=true</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The Table service endpoint, e.g. <c>https://account.table.core.windows.net</c>, used with a token credential.</summary>
    public Uri? TableEndpoint { get; set; }

    /// <summary>Prepended to every table name, so that test runs and environments can share an account.</summary>
    public string TablePrefix { get; set; } = string.Empty;
}
