using System.Globalization;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using HandInHand.Infrastructure.Http;

namespace HandInHand.Infrastructure.ServiceBus;

/// <summary>
/// Retries 408, 429, 500, 502, 503, 504 and transport failures with jittered exponential back-off,
/// reading <see cref="ServiceBusClientOptions"/> live. A failure while connecting (nothing was sent)
/// is always retried. Receives and settlements are otherwise retried freely. A send carries its
/// MessageId, so a re-sent copy of a message that was in fact enqueued is dropped by the broker —
/// but only inside the entity's duplicate-detection window: a send is re-sent only while the copy
/// would arrive within <see cref="ServiceBusClientOptions.DuplicateDetectionWindow"/> of the first
/// attempt, and never when that window is zero.
/// </summary>
internal sealed class ServiceBusRetryPolicy(ServiceBusClientOptions options)
    : RetryPolicy(options.Retry.MaxRetries, new LiveExponentialDelay(options.Retry, LongestServerDelay))
{
    // The jitter can stretch a delay by up to 20 %; a little more covers the request's own transit.
    private const double DelayAllowance = 1.25;
    private static readonly TimeSpan TransitAllowance = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestServerDelay = TimeSpan.FromMinutes(1);

    protected override void OnSendingRequest(HttpMessage message)
    {
        if (message.GetFirstAttempt() is null)
        {
            message.SetFirstAttempt(options.TimeProvider.GetUtcNow());
        }
    }

    protected override ValueTask OnSendingRequestAsync(HttpMessage message)
    {
        OnSendingRequest(message);
        return default;
    }

    protected override bool ShouldRetry(HttpMessage message, Exception? exception) => Decide(message, exception);

    protected override ValueTask<bool> ShouldRetryAsync(HttpMessage message, Exception? exception) => new(Decide(message, exception));

    private bool Decide(HttpMessage message, Exception? exception)
    {
        if (message.ProcessingContext.RetryNumber >= options.Retry.MaxRetries || message.CancellationToken.IsCancellationRequested)
        {
            return false;
        }

        if (exception is not null)
        {
            if (!TransportFailures.IsTransportFailure(exception, message.CancellationToken))
            {
                return false;
            }

            if (TransportFailures.NothingWasSent(exception))
            {
                return true;
            }
        }
        else if (message.Response.Status is not (408 or 429 or 500 or 502 or 503 or 504))
        {
            return false;
        }

        return message.GetOperation() != ServiceBusOperation.Send || StillInsideDuplicateWindow(message);
    }

    private bool StillInsideDuplicateWindow(HttpMessage message)
    {
        var window = options.DuplicateDetectionWindow;
        if (window <= TimeSpan.Zero || message.GetFirstAttempt() is not DateTimeOffset firstAttempt)
        {
            return false;
        }

        // The first copy was enqueued, if at all, after the first attempt started; the broker drops the
        // re-sent copy only if it arrives less than one window later.
        var nextDelay = TimeSpan.FromTicks((long)(options.Retry.MaxDelay.Ticks * DelayAllowance));
        var serverDelay = ServerRequestedDelay(message.HasResponse ? message.Response : null);
        if (serverDelay > nextDelay)
        {
            nextDelay = serverDelay;
        }

        var arrival = options.TimeProvider.GetUtcNow() + nextDelay + TransitAllowance;
        return arrival - firstAttempt < window;
    }

    /// <summary>The delay a Retry-After style header asks for; Azure.Core honours these, up to a minute.</summary>
    private static TimeSpan ServerRequestedDelay(Response? response)
    {
        if (response is null)
        {
            return TimeSpan.Zero;
        }

        foreach (string header in (string[])["retry-after-ms", "x-ms-retry-after-ms"])
        {
            if (response.Headers.TryGetValue(header, out var ms) && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var milliseconds))
            {
                return Min(TimeSpan.FromMilliseconds(Math.Max(0, milliseconds)), LongestServerDelay);
            }
        }

        if (response.Headers.TryGetValue("Retry-After", out var retryAfter))
        {
            if (int.TryParse(retryAfter, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds))
            {
                return Min(TimeSpan.FromSeconds(Math.Max(0, seconds)), LongestServerDelay);
            }

            // An HTTP date: its distance from now is not known precisely here, so assume the longest.
            return LongestServerDelay;
        }

        return TimeSpan.Zero;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
