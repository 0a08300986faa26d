using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

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
internal sealed class TableRetryPolicy(RetryOptions options) : RetryPolicy(options.MaxRetries, new LiveExponentialDelay(options))
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

    /// <summary>Delay × 2^(n−1), capped at MaxDelay; the base class adds jitter and honours Retry-After.</summary>
    private sealed class LiveExponentialDelay(RetryOptions options) : DelayStrategy(maxDelay: TimeSpan.FromMinutes(1), jitterFactor: 0.2)
    {
        protected override TimeSpan GetNextDelayCore(Response? response, int retryNumber)
        {
            int exponent = Math.Clamp(retryNumber - 1, 0, 16);
            double milliseconds = options.Delay.TotalMilliseconds * Math.Pow(2, exponent);
            return TimeSpan.FromMilliseconds(Math.Min(milliseconds, options.MaxDelay.TotalMilliseconds));
        }
    }
}
