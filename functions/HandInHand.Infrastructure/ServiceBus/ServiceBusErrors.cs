using System.Globalization;
using Azure;

namespace HandInHand.Infrastructure.ServiceBus;

/// <summary>
/// Turns service answers into <see cref="ServiceBusException"/>s. Only the operation, the entity, the
/// status and our client request id reach a message; the service's own error text is left out
/// because it is not needed and could quote request data.
/// </summary>
internal static class ServiceBusErrors
{
    internal static ServiceBusFailureKind KindOf(int status) => status switch
    {
        400 => ServiceBusFailureKind.BadRequest,
        401 or 403 => ServiceBusFailureKind.Unauthorized,
        404 or 410 => ServiceBusFailureKind.NotFound,
        413 => ServiceBusFailureKind.TooLarge,
        429 or 503 => ServiceBusFailureKind.Throttled,
        _ => ServiceBusFailureKind.Other,
    };

    internal static ServiceBusException FromResponse(Response response, string operation, string entity, string? clientRequestId, bool isSend)
    {
        int status = response.Status;
        bool ambiguous = isSend && (status is 408 or >= 500);
        return Create(KindOf(status), status, operation, entity, clientRequestId, ambiguous, null);
    }

    internal static ServiceBusException Create(
        ServiceBusFailureKind kind, int status, string operation, string entity, string? clientRequestId, bool sendMayHaveHappened, Exception? inner) =>
        new(kind, status, Describe(kind, status, operation, entity, clientRequestId, sendMayHaveHappened), inner);

    internal static string Describe(ServiceBusFailureKind kind, int status, string operation, string entity, string? clientRequestId, bool sendMayHaveHappened)
    {
        string answer = status == 0 ? "no response" : string.Create(CultureInfo.InvariantCulture, $"status {status}");
        string meaning = status switch
        {
            403 => " Service Bus answers 403 when the identity lacks the right on this entity, and also when the entity's quota or size limit is reached.",
            410 => " The entity does not exist.",
            _ when kind == ServiceBusFailureKind.Throttled => " The service stayed busy through every retry.",
            _ => string.Empty,
        };
        if (sendMayHaveHappened)
        {
            meaning += " The message may or may not have been enqueued; sending it again with the same MessageId is safe only within the entity's duplicate-detection window.";
        }

        string id = clientRequestId is null ? string.Empty : $" Client request id {clientRequestId}.";
        return string.Create(CultureInfo.InvariantCulture, $"{operation} on Service Bus entity '{entity}' failed: {answer}, {kind}.{meaning}{id}");
    }
}
