using Azure.Core;

namespace HandInHand.Infrastructure.ServiceBus;

/// <summary>
/// Options for <see cref="ServiceBusSender"/> and <see cref="ServiceBusReceiver"/>. Retries are tuned
/// through <see cref="ClientOptions.Retry"/> (<c>MaxRetries</c>, <c>Delay</c>, <c>MaxDelay</c>,
/// <c>NetworkTimeout</c>); the retry policy itself must stay the Service Bus client's own, because it
/// is what stops a send from being re-sent once the broker could no longer recognise it as a duplicate.
/// </summary>
public sealed class ServiceBusClientOptions : ClientOptions
{
    /// <summary>Creates options with a few short, jittered exponential retries.</summary>
    public ServiceBusClientOptions()
    {
        Retry.Mode = RetryMode.Exponential;
        Retry.MaxRetries = 3;
        Retry.Delay = TimeSpan.FromMilliseconds(200);
        Retry.MaxDelay = TimeSpan.FromSeconds(5);
        // The policy reads these options when it decides, so later changes still count.
        RetryPolicy = new ServiceBusRetryPolicy(this);
    }

    /// <summary>
    /// Where requests go instead of <c>https://{namespace}</c>, for example a loopback test peer
    /// (<c>http://127.0.0.1:port</c>). Scheme and authority only. The SAS token is still scoped to the
    /// namespace's entity, and plain http is accepted only for loopback addresses.
    /// </summary>
    public Uri? CustomEndpointAddress { get; set; }

    /// <summary>
    /// The duplicate-detection window configured on the entity (Service Bus allows 20 seconds to 7
    /// days; 10 minutes is its default when the feature is turned on). A send that may already have
    /// been enqueued is re-sent only while the re-sent copy would still arrive inside this window, so
    /// the broker drops it as a duplicate. <see cref="TimeSpan.Zero"/> means the entity has no
    /// duplicate detection: a send is then re-sent only when the connection failed before anything
    /// was sent.
    /// </summary>
    public TimeSpan DuplicateDetectionWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long each shared access signature is valid; it is renewed before it expires.</summary>
    public TimeSpan SharedAccessSignatureLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The clock used for SAS expiry and the duplicate-detection window.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
