using Azure.Core;

namespace HandInHand.Infrastructure.Tables;

/// <summary>
/// Options for <see cref="TableClient"/>. Retries are tuned through <see cref="ClientOptions.Retry"/>
/// (<c>MaxRetries</c>, <c>Delay</c>, <c>MaxDelay</c>, <c>NetworkTimeout</c>); the retry policy itself is the
/// table client's own and must not be replaced, because it is what keeps inserts and transactions
/// from being re-sent after they may have been applied.
/// </summary>
public sealed class TableClientOptions : ClientOptions
{
    /// <summary>Creates options with a few short, jittered exponential retries.</summary>
    public TableClientOptions()
    {
        Retry.Mode = RetryMode.Exponential;
        Retry.MaxRetries = 3;
        Retry.Delay = TimeSpan.FromMilliseconds(200);
        Retry.MaxDelay = TimeSpan.FromSeconds(5);
        // The policy reads Retry when it decides, so changing Retry after construction still counts.
        RetryPolicy = new TableRetryPolicy(Retry);
    }

    /// <summary>The <c>x-ms-version</c> sent on every request.</summary>
    public string ServiceVersion { get; set; } = "2020-12-06";
}
