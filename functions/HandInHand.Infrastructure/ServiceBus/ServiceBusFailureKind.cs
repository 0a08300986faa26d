namespace HandInHand.Infrastructure.ServiceBus;

/// <summary>
/// What a failed Service Bus operation means to the caller, independent of the exact status
/// (which is on <see cref="ServiceBusException"/> too; 0 when no answer arrived).
/// </summary>
public enum ServiceBusFailureKind
{
    /// <summary>
    /// 401, or 403. Service Bus answers 403 when the identity lacks the right (Send, Listen) on the
    /// entity, and its REST reference also lists 403 for "quota exceeded or message too large".
    /// </summary>
    Unauthorized,

    /// <summary>
    /// The entity does not exist (404, or 410 as the REST reference documents for a missing queue,
    /// topic or subscription), or a lock no longer exists when completing or abandoning a message.
    /// </summary>
    NotFound,

    /// <summary>The service rejected the request as malformed (400).</summary>
    BadRequest,

    /// <summary>The request entity was too large (413).</summary>
    TooLarge,

    /// <summary>The service kept answering 429 or 503 (server busy) until the retries ran out.</summary>
    Throttled,

    /// <summary>Anything else: other server errors, transport failures, an answer that could not be read.</summary>
    Other,
}
