using Azure;

namespace HandInHand.Infrastructure.Storage;

/// <summary>
/// Which failures leave a write's outcome unknown, and which prove nothing was applied: the single
/// classification behind <see cref="TableRetryPolicy"/> and <see cref="GuardedTableClient"/>.
/// </summary>
internal static class TableFailures
{
    internal const string ServerBusy = "ServerBusy";
    private const string ErrorCodeHeader = "x-ms-error-code";

    /// <summary>An answer that proves the service applied nothing (the request was refused before any work).</summary>
    internal static bool RefusedUnapplied(Response response) =>
        response.Status is 408 or 429 || (response.Status == 503 && ErrorCode(response) == ServerBusy);

    /// <summary>An answer that does not say whether a write was applied.</summary>
    internal static bool Ambiguous(Response response) =>
        response.Status is 500 or 502 or 504 || (response.Status == 503 && ErrorCode(response) != ServerBusy);

    /// <summary>
    /// True when no usable answer arrived: Azure.Core wraps <see cref="HttpRequestException"/> in a
    /// <see cref="RequestFailedException"/> with status 0; its network timeout surfaces as a
    /// cancellation the caller did not ask for.
    /// </summary>
    internal static bool IsTransportFailure(Exception exception, CancellationToken callerToken) => exception switch
    {
        OperationCanceledException => !callerToken.IsCancellationRequested,
        RequestFailedException { Status: 0 } => true,
        HttpRequestException or IOException or System.Net.Sockets.SocketException => true,
        AggregateException aggregate => aggregate.InnerExceptions.All(e => IsTransportFailure(e, callerToken)),
        _ => false,
    };

    /// <summary>
    /// True only for a failure while connecting (refused, name not resolved, TLS handshake), i.e.
    /// before any byte of the request could reach the service.
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

    /// <summary>A thrown failure after which a non-idempotent write may or may not have been applied.</summary>
    internal static bool LeavesOutcomeUnknown(Exception exception, CancellationToken callerToken) => exception switch
    {
        RequestFailedException { Status: 500 or 502 or 504 } => true,
        RequestFailedException { Status: 503 } failure => failure.ErrorCode != ServerBusy,
        _ => IsTransportFailure(exception, callerToken) && !NothingWasSent(exception),
    };

    private static string? ErrorCode(Response response) =>
        response.Headers.TryGetValue(ErrorCodeHeader, out var code) ? code : null;
}
