using Azure;

namespace HandInHand.Infrastructure.ServiceBus;

/// <summary>
/// A Service Bus operation failed. <see cref="Kind"/> says what it means; <see cref="RequestFailedException.Status"/>
/// carries the service's answer (0 when no answer arrived). The message names the operation, the
/// entity, the status and a client request id only: never a message body, a property value, the
/// shared access key or a signature.
/// </summary>
public class ServiceBusException : RequestFailedException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="kind">What the failure means to the caller.</param>
    /// <param name="status">The HTTP status, or 0 when no response was received.</param>
    /// <param name="message">A message free of message data and secrets.</param>
    /// <param name="innerException">The underlying exception, if any.</param>
    public ServiceBusException(ServiceBusFailureKind kind, int status, string message, Exception? innerException = null)
        : base(status, message, null, innerException)
    {
        Kind = kind;
    }

    /// <summary>What the failure means to the caller.</summary>
    public ServiceBusFailureKind Kind { get; }
}
