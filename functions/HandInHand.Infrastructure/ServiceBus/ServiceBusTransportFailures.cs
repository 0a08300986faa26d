using System.Net.Sockets;
using Azure;

namespace HandInHand.Infrastructure.ServiceBus;

/// <summary>Classifies exceptions thrown by the pipeline when no usable response arrived.</summary>
internal static class ServiceBusTransportFailures
{
    /// <summary>
    /// True for failures of the connection or the exchange: Azure.Core wraps HttpRequestException in a
    /// RequestFailedException with status 0; the network timeout surfaces as a cancellation the caller
    /// did not ask for; the retry policy aggregates several of these.
    /// </summary>
    internal static bool IsTransportFailure(Exception exception, CancellationToken callerToken) => exception switch
    {
        OperationCanceledException => !callerToken.IsCancellationRequested,
        RequestFailedException { Status: 0 } => true,
        HttpRequestException or IOException or SocketException => true,
        AggregateException aggregate => aggregate.InnerExceptions.All(e => IsTransportFailure(e, callerToken)),
        _ => false,
    };

    /// <summary>
    /// True only when the failure happened while connecting (refused, unresolvable, TLS handshake),
    /// before any byte of the request could have reached the broker.
    /// </summary>
    internal static bool NothingWasSent(Exception exception)
    {
        if (exception is AggregateException aggregate)
        {
            return aggregate.InnerExceptions.All(NothingWasSent);
        }

        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is HttpRequestException http)
            {
                return http.HttpRequestError is HttpRequestError.ConnectionError
                    or HttpRequestError.NameResolutionError
                    or HttpRequestError.SecureConnectionError;
            }
        }

        return false;
    }
}
