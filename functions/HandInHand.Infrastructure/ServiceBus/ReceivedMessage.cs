using System.Globalization;
using System.Text;

namespace HandInHand.Infrastructure.ServiceBus;

/// <summary>
/// A message received under a peek-lock. Settle it with <see cref="ServiceBusReceiver.CompleteAsync"/>
/// once processed, or <see cref="ServiceBusReceiver.AbandonAsync"/> to let it be delivered again;
/// otherwise it returns when the lock expires.
/// </summary>
/// <param name="Body">The payload, decoded as UTF-8.</param>
/// <param name="MessageId">The sender's MessageId, if it set one.</param>
/// <param name="LockToken">The lock this receiver holds on the message.</param>
/// <param name="SequenceNumber">The broker's sequence number for the message.</param>
/// <param name="DeliveryCount">How many times the message has been delivered, this time included.</param>
/// <param name="ApplicationProperties">
/// Custom properties, typed as the broker types the headers that carry them: quoted text as
/// <see cref="string"/> (or <see cref="DateTimeOffset"/> when it is an RFC 1123 date), bare integers as
/// <see cref="long"/>, other numbers as <see cref="double"/>, <c>true</c>/<c>false</c> as <see cref="bool"/>.
/// </param>
public sealed record ReceivedMessage(
    string Body,
    string? MessageId,
    Guid LockToken,
    long SequenceNumber,
    int DeliveryCount,
    IReadOnlyDictionary<string, object> ApplicationProperties)
{
    /// <summary>The body's media type as the sender set it.</summary>
    public string? ContentType { get; init; }

    /// <summary>BrokerProperties <c>CorrelationId</c>.</summary>
    public string? CorrelationId { get; init; }

    /// <summary>BrokerProperties <c>SessionId</c>.</summary>
    public string? SessionId { get; init; }

    /// <summary>BrokerProperties <c>Label</c>.</summary>
    public string? Subject { get; init; }

    /// <summary>When the broker enqueued the message (BrokerProperties <c>EnqueuedTimeUtc</c>).</summary>
    public DateTimeOffset? EnqueuedTime { get; init; }

    /// <summary>When the lock expires (BrokerProperties <c>LockedUntilUtc</c>).</summary>
    public DateTimeOffset? LockedUntil { get; init; }

    /// <summary>The path of the locked message (from the Location header), used to complete or abandon it.</summary>
    internal string LockPath { get; init; } = string.Empty;

    // Ids only: a log line must never carry the body or property values.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append(CultureInfo.InvariantCulture, $"MessageId = {MessageId}, SequenceNumber = {SequenceNumber}, DeliveryCount = {DeliveryCount}");
        return true;
    }
}
