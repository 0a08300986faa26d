using System.Net.Sockets;
using Azure;

namespace HandInHand.Infrastructure.SendGrid;

/// <summary>Classifies exceptions from the pipeline when no usable answer arrived.</summary>
internal static class SendGridTransportFailures
{
    /// <summary>
    /// True for failures of the connection or the exchange: Azure.Core wraps an HttpRequestException
    /// in a RequestFailedException with status 0; the network timeout surfaces as a cancellation the
    /// caller did not ask for.
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
    /// True only when the connection could not be made (refused, name not resolved, TLS handshake
    /// failed): no byte of the request can have reached SendGrid, so sending again is safe.
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
