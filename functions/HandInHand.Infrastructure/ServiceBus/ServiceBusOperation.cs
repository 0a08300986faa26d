using Azure.Core;

namespace HandInHand.Infrastructure.ServiceBus;

/// <summary>
/// What a request does, which decides whether re-sending it after an ambiguous failure is safe.
/// Every message the clients create is marked; an unmarked message is treated as a send.
/// </summary>
internal enum ServiceBusOperation
{
    /// <summary>Send or send batch: a re-sent copy is dropped by the broker only inside the duplicate-detection window.</summary>
    Send,

    /// <summary>Peek-lock receive: a lost answer leaves a locked message that returns when its lock expires.</summary>
    Receive,

    /// <summary>Complete (delete) or abandon (unlock) by lock token: repeating it cannot act on a different message.</summary>
    Settle,
}

internal static class ServiceBusMessageProperties
{
    private const string OperationName = "HandInHand.ServiceBus.Operation";
    private const string FirstAttemptName = "HandInHand.ServiceBus.FirstAttempt";

    internal static void SetOperation(this HttpMessage message, ServiceBusOperation operation) =>
        message.SetProperty(OperationName, operation);

    internal static ServiceBusOperation GetOperation(this HttpMessage message) =>
        message.TryGetProperty(OperationName, out var value) && value is ServiceBusOperation operation ? operation : ServiceBusOperation.Send;

    internal static void SetFirstAttempt(this HttpMessage message, DateTimeOffset time) =>
        message.SetProperty(FirstAttemptName, time);

    internal static DateTimeOffset? GetFirstAttempt(this HttpMessage message) =>
        message.TryGetProperty(FirstAttemptName, out var value) && value is DateTimeOffset time ? time : null;
}
