using Azure;
using Azure.Core;

namespace HandInHand.Infrastructure.Http;

/// <summary>
/// Delay × 2^(n−1), capped at MaxDelay, reading <see cref="RetryOptions"/> live so that changes after
/// the options object was created still count; the base class adds ±20 % jitter and honours
/// Retry-After up to <c>longestDelay</c>.
/// </summary>
internal sealed class LiveExponentialDelay(RetryOptions retry, TimeSpan longestDelay) : DelayStrategy(maxDelay: longestDelay, jitterFactor: 0.2)
{
    protected override TimeSpan GetNextDelayCore(Response? response, int retryNumber)
    {
        int exponent = Math.Clamp(retryNumber - 1, 0, 16);
        double milliseconds = retry.Delay.TotalMilliseconds * Math.Pow(2, exponent);
        return TimeSpan.FromMilliseconds(Math.Min(milliseconds, retry.MaxDelay.TotalMilliseconds));
    }
}
