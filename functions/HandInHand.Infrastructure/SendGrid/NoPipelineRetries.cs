using Azure.Core.Pipeline;

namespace HandInHand.Infrastructure.SendGrid;

/// <summary>
/// Stops the Azure.Core pipeline from retrying anything: <see cref="SendGridClient"/> makes every
/// retry decision itself, because only it knows whether an earlier attempt may have been queued.
/// </summary>
internal sealed class NoPipelineRetries() : RetryPolicy(maxRetries: 0);
