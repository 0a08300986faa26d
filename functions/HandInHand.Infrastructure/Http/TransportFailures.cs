using System.Net.Sockets;
using Azure;

namespace HandInHand.Infrastructure.Http;

/// <summary>
/// Classifies exceptions thrown by an Azure.Core pipeline when no usable response arrived.
/// Shared by the Tables, Service Bus and SendGrid clients.
/// </summary>
internal static class TransportFailures
{
    /// <summary>
    /// True for failures of the connection or the exchange: Azure.Core wraps HttpRequestException
    /// in a RequestFailedException with status 0; the network timeout surfaces as a cancellation the
    /// caller did not ask for; the retry policy aggregates several of these.
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
    /// True only when the failure happened while connecting (refused, name not resolved, TLS handshake
    /// failed), i.e. before any byte of the request could have reached the service, so sending again is safe.
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

    /// <summary>A description of the failure that names its kind only: exception messages can carry URLs and other detail.</summary>
    internal static string Describe(Exception exception, TimeSpan networkTimeout)
    {
        if (exception is AggregateException aggregate && aggregate.InnerExceptions.Count > 0)
        {
            return Describe(aggregate.InnerExceptions[^1], networkTimeout);
        }

        if (exception is OperationCanceledException)
        {
            return $"no complete answer within the network timeout of {networkTimeout.TotalSeconds:0.###} s";
        }

        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is HttpRequestException http)
            {
                return $"{nameof(HttpRequestException)} ({http.HttpRequestError})";
            }
        }

        return (exception.InnerException ?? exception).GetType().Name;
    }
}
