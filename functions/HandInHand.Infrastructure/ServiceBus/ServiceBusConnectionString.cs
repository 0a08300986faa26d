using HandInHand.Infrastructure.Http;

namespace HandInHand.Infrastructure.ServiceBus;

/// <summary>
/// The parts of a Service Bus connection string
/// (<c>Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=…;SharedAccessKey=…[;EntityPath=…]</c>)
/// the clients need. Errors name the missing or malformed setting and never echo the string, which
/// holds the key.
/// </summary>
internal sealed class ServiceBusConnectionString
{
    private ServiceBusConnectionString(string host, string keyName, string key, string? entityPath)
    {
        Host = host;
        KeyName = keyName;
        Key = key;
        EntityPath = entityPath;
    }

    /// <summary>The namespace host, e.g. <c>ns.servicebus.windows.net</c>.</summary>
    internal string Host { get; }

    internal string KeyName { get; }

    /// <summary>The key exactly as written: Service Bus signs with its UTF-8 bytes, not its Base64 decoding.</summary>
    internal string Key { get; }

    internal string? EntityPath { get; }

    internal static ServiceBusConnectionString Parse(string connectionString, string paramName)
    {
        var settings = ConnectionStringSettings.Parse(connectionString, paramName);

        if (settings.ContainsKey("SharedAccessSignature"))
        {
            throw new ArgumentException(
                "Connection strings with a ready-made SharedAccessSignature are not supported; use SharedAccessKeyName/SharedAccessKey or a TokenCredential.",
                paramName);
        }

        if (!settings.TryGetValue("Endpoint", out var endpointText) || endpointText.Length == 0)
        {
            throw new ArgumentException("The connection string has no Endpoint.", paramName);
        }

        if (!Uri.TryCreate(endpointText, UriKind.Absolute, out var endpoint) || endpoint.Host.Length == 0
            || endpoint.Scheme is not ("sb" or "https" or "amqps"))
        {
            throw new ArgumentException("The connection string's Endpoint is not an absolute sb://, https:// or amqps:// namespace address.", paramName);
        }

        if (!settings.TryGetValue("SharedAccessKeyName", out var keyName) || keyName.Length == 0)
        {
            throw new ArgumentException("The connection string has no SharedAccessKeyName.", paramName);
        }

        if (!settings.TryGetValue("SharedAccessKey", out var key) || key.Length == 0)
        {
            throw new ArgumentException("The connection string has no SharedAccessKey.", paramName);
        }

        string? entityPath = settings.TryGetValue("EntityPath", out var path) && path.Length > 0 ? path : null;
        return new ServiceBusConnectionString(endpoint.Host, keyName, key, entityPath);
    }
}
