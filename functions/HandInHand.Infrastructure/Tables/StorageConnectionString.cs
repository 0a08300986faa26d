using HandInHand.Infrastructure.Http;

namespace HandInHand.Infrastructure.Tables;

/// <summary>
/// The parts of an Azure Storage connection string the table client needs. Errors name the
/// missing or malformed setting and never echo the string, which holds the account key.
/// </summary>
internal sealed class StorageConnectionString
{
    // The Storage emulator's well-known development account (public, documented by Microsoft).
    internal const string DevelopmentAccountName = "devstoreaccount1";
    internal const string DevelopmentAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private const string DevelopmentTableEndpoint = "http://127.0.0.1:10002/devstoreaccount1";

    private StorageConnectionString(Uri tableEndpoint, string accountName, byte[] accountKey)
    {
        TableEndpoint = tableEndpoint;
        AccountName = accountName;
        AccountKey = accountKey;
    }

    internal Uri TableEndpoint { get; }

    internal string AccountName { get; }

    internal byte[] AccountKey { get; }

    internal static StorageConnectionString Parse(string connectionString, string paramName)
    {
        var settings = ConnectionStringSettings.Parse(connectionString, paramName);

        if (settings.TryGetValue("UseDevelopmentStorage", out var dev) && string.Equals(dev, "true", StringComparison.OrdinalIgnoreCase))
        {
            return new StorageConnectionString(
                new Uri(DevelopmentTableEndpoint), DevelopmentAccountName, Convert.FromBase64String(DevelopmentAccountKey));
        }

        if (settings.ContainsKey("SharedAccessSignature"))
        {
            throw new ArgumentException("SAS connection strings are not supported; use AccountName/AccountKey or a TokenCredential.", paramName);
        }

        if (!settings.TryGetValue("AccountName", out var accountName) || accountName.Length == 0)
        {
            throw new ArgumentException("The connection string has no AccountName.", paramName);
        }

        if (!settings.TryGetValue("AccountKey", out var keyText) || keyText.Length == 0)
        {
            throw new ArgumentException("The connection string has no AccountKey.", paramName);
        }

        byte[] key;
        try
        {
            key = Convert.FromBase64String(keyText);
        }
        catch (FormatException)
        {
            throw new ArgumentException("The connection string's AccountKey is not valid Base64.", paramName);
        }

        Uri endpoint;
        if (settings.TryGetValue("TableEndpoint", out var explicitEndpoint) && explicitEndpoint.Length > 0)
        {
            if (!Uri.TryCreate(explicitEndpoint.TrimEnd('/'), UriKind.Absolute, out endpoint!)
                || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
            {
                throw new ArgumentException("The connection string's TableEndpoint is not an absolute http(s) URI.", paramName);
            }
        }
        else
        {
            string protocol = settings.TryGetValue("DefaultEndpointsProtocol", out var p) && p.Length > 0 ? p.ToLowerInvariant() : "https";
            if (protocol is not ("http" or "https"))
            {
                throw new ArgumentException("The connection string's DefaultEndpointsProtocol must be http or https.", paramName);
            }

            string suffix = settings.TryGetValue("EndpointSuffix", out var s) && s.Length > 0 ? s : "core.windows.net";
            if (!Uri.TryCreate($"{protocol}://{accountName}.table.{suffix}", UriKind.Absolute, out endpoint!))
            {
                throw new ArgumentException("The connection string's AccountName or EndpointSuffix does not form a valid URI.", paramName);
            }
        }

        return new StorageConnectionString(endpoint, accountName, key);
    }
}
