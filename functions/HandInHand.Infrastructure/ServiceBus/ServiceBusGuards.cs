using System.Text;

namespace HandInHand.Infrastructure.ServiceBus;

/// <summary>Argument checks done before anything is sent. Messages never quote bodies or property values.</summary>
internal static class ServiceBusGuards
{
    private const int MaxEntityPathLength = 260;

    // Headers the transport, the pipeline or Service Bus itself owns: an application property of the
    // same name would be dropped, rejected or would corrupt the request.
    private static readonly HashSet<string> ReservedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Accept", "Accept-Encoding", "Authorization", "BrokerProperties", "Connection", "Content-Encoding",
        "Content-Length", "Content-Type", "Cookie", "Date", "Expect", "Host", "Keep-Alive", "Location",
        "Proxy-Authorization", "Proxy-Connection", "Request-Id", "Retry-After", "Server", "TE", "Trailer",
        "Transfer-Encoding", "Upgrade", "User-Agent", "Via", "traceparent", "tracestate",
    };

    /// <summary>
    /// A queue or topic name, or <c>topic/subscriptions/name</c>: letters, digits, '.', '-', '_' and
    /// single '/' between segments. Nothing in it needs escaping in a URL.
    /// </summary>
    internal static void EntityPath(string entityPath, string paramName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(entityPath, paramName);
        if (entityPath.Length > MaxEntityPathLength)
        {
            throw new ArgumentException("The entity path is longer than 260 characters.", paramName);
        }

        foreach (string segment in entityPath.Split('/'))
        {
            // A segment of dots alone would be resolved away as "." or ".." and address another entity.
            if (segment.Length == 0 || segment.All(c => c == '.') || !segment.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
            {
                throw new ArgumentException(
                    "The entity path must be segments of letters, digits, '.', '-' or '_' separated by single '/'.", paramName);
            }
        }
    }

    internal static void Message(ServiceBusMessage message, string paramName)
    {
        ArgumentNullException.ThrowIfNull(message, paramName);
        Id(message.MessageId, "MessageId", required: true, paramName);
        Id(message.SessionId, "SessionId", required: false, paramName);
        if (message.Body is null)
        {
            throw new ArgumentException("The message has no Body.", paramName);
        }

        if (Encoding.UTF8.GetByteCount(message.Body) > ServiceBusMessage.MaxBodyBytes)
        {
            throw new ArgumentException("The message body is larger than 256 KiB.", paramName);
        }

        HeaderText(message.ContentType, "ContentType", paramName);
        if (message.TimeToLive is { } ttl && ttl <= TimeSpan.Zero)
        {
            throw new ArgumentException("TimeToLive must be positive.", paramName);
        }

        foreach (var (name, value) in message.ApplicationProperties)
        {
            ApplicationProperty(name, value, paramName);
        }
    }

    internal static void ApplicationProperty(string name, object value, string paramName)
    {
        if (string.IsNullOrEmpty(name) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new ArgumentException("Application property names must be letters, digits, '-', '_' or '.' (they travel as HTTP header names).", paramName);
        }

        if (ReservedHeaders.Contains(name) || name.StartsWith("x-ms-", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"The application property name '{name}' is an HTTP or Service Bus header and cannot carry a property.", paramName);
        }

        switch (value)
        {
            case int or long or bool:
                return;
            case string text:
                // The broker only strips the surrounding quotes: there is no escape for a quote inside,
                // and a header value cannot hold line breaks or non-ASCII text.
                if (!text.All(c => c is >= ' ' and <= '~' and not '"'))
                {
                    throw new ArgumentException(
                        $"The value of application property '{name}' must be printable ASCII without double quotes.", paramName);
                }

                return;
            default:
                throw new ArgumentException(
                    $"The value of application property '{name}' must be a string, int, long or bool.", paramName);
        }
    }

    /// <summary>The receive timeout in whole seconds; it must end well before the network timeout does.</summary>
    internal static int ReceiveTimeout(TimeSpan timeout, TimeSpan networkTimeout, string paramName)
    {
        var margin = TimeSpan.FromSeconds(5);
        if (timeout < TimeSpan.Zero || timeout + margin > networkTimeout)
        {
            throw new ArgumentOutOfRangeException(
                paramName, timeout, "The receive timeout must be zero or more and at least 5 seconds shorter than Retry.NetworkTimeout.");
        }

        return (int)Math.Ceiling(timeout.TotalSeconds);
    }

    private static void Id(string? value, string name, bool required, string paramName)
    {
        if (value is null)
        {
            if (required)
            {
                throw new ArgumentException($"The message has no {name}.", paramName);
            }

            return;
        }

        if (string.IsNullOrWhiteSpace(value) || value.Length > ServiceBusMessage.MaxIdLength)
        {
            throw new ArgumentException($"The message's {name} must be 1 to 128 characters.", paramName);
        }
    }

    private static void HeaderText(string? value, string name, string paramName)
    {
        if (value is not null && (value.Length == 0 || !value.All(c => c is >= ' ' and <= '~')))
        {
            throw new ArgumentException($"The message's {name} must be non-empty printable ASCII.", paramName);
        }
    }
}
