using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using HandInHand.Infrastructure.Http;

namespace HandInHand.Infrastructure.Tables;

/// <summary>
/// Retries with jittered exponential back-off, reading <see cref="RetryOptions"/> live so that
/// <c>TableClientOptions.Retry</c> can be changed after the options object is created.
/// Idempotent requests are retried on 408, 429, 500, 502, 503, 504 and transport failures.
/// A non-idempotent request (insert, $batch) is retried only when the answer proves nothing was
/// applied: 408, 429, 503 ServerBusy, or a failure while connecting. A 500/502/504 or a connection
/// that breaks after the request went out is left to the client, which reconciles or reports
/// <see cref="TableFailureKind.OutcomeUnknown"/>.
/// </summary>
internal sealed class TableRetryPolicy(RetryOptions options) : RetryPolicy(options.MaxRetries, new LiveExponentialDelay(options, TimeSpan.FromMinutes(1)))
{
    protected override bool ShouldRetry(HttpMessage message, Exception? exception) => Decide(message, exception);

    protected override ValueTask<bool> ShouldRetryAsync(HttpMessage message, Exception? exception) => new(Decide(message, exception));

    private bool Decide(HttpMessage message, Exception? exception)
    {
        if (message.ProcessingContext.RetryNumber >= options.MaxRetries || message.CancellationToken.IsCancellationRequested)
        {
            return false;
        }

        bool idempotent = message.GetSafety() == RequestSafety.Idempotent;
        if (exception is not null)
        {
            if (!TransportFailures.IsTransportFailure(exception, message.CancellationToken))
            {
                return false;
            }

            return idempotent || TransportFailures.NothingWasSent(exception);
        }

        int status = message.Response.Status;
        if (idempotent)
        {
            return status is 408 or 429 or 500 or 502 or 503 or 504;
        }

        return status is 408 or 429
            || (status == 503 && TableErrors.ErrorCode(message.Response) == TableErrors.ServerBusy);
    }
}
