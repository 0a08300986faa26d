namespace HandInHand.Infrastructure.ServiceBus;

/// <summary>
/// A message to send to a queue or topic. HandInHand's integration messages carry ids, states and
/// times only, never personal data: the body and properties are kept by the broker until received or
/// expired, and a dead-lettered copy stays until someone removes it.
/// </summary>
/// <remarks>
/// Everything is checked when the message is sent: <see cref="MessageId"/> is required (it is what
/// duplicate detection keys on) and at most 128 characters, as is <see cref="SessionId"/>; the body is
/// at most 256 KiB of UTF-8; application property values are <see cref="string"/>, <see cref="int"/>,
/// <see cref="long"/> or <see cref="bool"/>.
/// </remarks>
public sealed class ServiceBusMessage
{
    /// <summary>The largest body accepted, in UTF-8 bytes (the Standard tier's message size).</summary>
    public const int MaxBodyBytes = 256 * 1024;

    /// <summary>The longest MessageId or SessionId Service Bus accepts.</summary>
    public const int MaxIdLength = 128;

    /// <summary>The id duplicate detection keys on; a retry re-sends the same id.</summary>
    public required string MessageId { get; init; }

    /// <summary>The payload, sent as UTF-8.</summary>
    public required string Body { get; init; }

    /// <summary>The body's media type; <c>text/plain; charset=utf-8</c> when not set. Not carried by a batch send.</summary>
    public string? ContentType { get; init; }

    /// <summary>Correlates this message with another (BrokerProperties <c>CorrelationId</c>).</summary>
    public string? CorrelationId { get; init; }

    /// <summary>The session, for session-enabled entities (BrokerProperties <c>SessionId</c>).</summary>
    public string? SessionId { get; init; }

    /// <summary>An application-specific label (BrokerProperties <c>Label</c>).</summary>
    public string? Subject { get; init; }

    /// <summary>How long the message lives once enqueued; sent as seconds (BrokerProperties <c>TimeToLive</c>).</summary>
    public TimeSpan? TimeToLive { get; init; }

    /// <summary>
    /// When the broker should make the message visible; sent in RFC 1123 form (BrokerProperties
    /// <c>ScheduledEnqueueTimeUtc</c>), so fractions of a second are dropped.
    /// </summary>
    public DateTimeOffset? ScheduledEnqueueTime { get; init; }

    /// <summary>
    /// Custom properties, each sent as its own HTTP header: strings in double quotes (as the broker
    /// requires to keep them strings), numbers and <c>true</c>/<c>false</c> bare. Names are
    /// case-insensitive, like the headers that carry them.
    /// </summary>
    public IDictionary<string, object> ApplicationProperties { get; } = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
}
