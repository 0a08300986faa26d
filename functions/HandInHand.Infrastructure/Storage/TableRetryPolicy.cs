using Azure.Core;
using Azure.Core.Pipeline;

namespace HandInHand.Infrastructure.Storage;

/// <summary>
/// The retry policy every table client is built with (it replaces Azure.Core's default, which
/// re-sends any request on 500/502/503/504 and broken connections). Requests that are safe to repeat
/// (reads, conditional and unconditional writes, deletes, table creation) keep that behaviour. An
/// insert or a <c>$batch</c> (a POST to a table) is re-sent only when the answer proves nothing was
/// applied: 408, 429, 503 <c>ServerBusy</c> or a failure while connecting. Anything else comes back
/// to <see cref="GuardedTableClient"/>, which reconciles an insert with a point read, or reports a
/// transaction's outcome as unknown.
/// </summary>
/// <remarks>
/// It also marks, for <see cref="GuardedTableClient"/>, that a write was re-sent: a conditional
/// update that answers 412 after a re-send may be failing on its own first landing.
/// </remarks>
internal sealed class TableRetryPolicy(int maxRetries, TimeSpan delay, TimeSpan maxDelay)
    : RetryPolicy(maxRetries, DelayStrategy.CreateExponentialDelayStrategy(delay, maxDelay))
{
    /// <summary>The message property under which a <see cref="ResendMarker"/> travels (see <see cref="HttpPipeline.CreateHttpMessagePropertiesScope"/>).</summary>
    internal const string ResendMarkerProperty = "HandInHand.Storage.ResendMarker";

    private readonly int _maxRetries = maxRetries;

    protected override bool ShouldRetry(HttpMessage message, Exception? exception) =>
        message.ProcessingContext.RetryNumber < _maxRetries
        && (IsRepeatable(message.Request)
            ? base.ShouldRetry(message, exception)
            : exception is null ? TableFailures.RefusedUnapplied(message.Response) : TableFailures.NothingWasSent(exception));

    protected override ValueTask<bool> ShouldRetryAsync(HttpMessage message, Exception? exception) =>
        new(ShouldRetry(message, exception));

    protected override void OnSendingRequest(HttpMessage message)
    {
        if (message.ProcessingContext.RetryNumber > 0
            && message.TryGetProperty(ResendMarkerProperty, out var marker) && marker is ResendMarker resend)
        {
            resend.Resent = true;
        }
    }

    protected override ValueTask OnSendingRequestAsync(HttpMessage message)
    {
        OnSendingRequest(message);
        return ValueTask.CompletedTask;
    }

    // The SDK sends a merge as a POST with X-HTTP-Method: MERGE; it is as repeatable as any update.
    // POST to /Tables creates a table: repeating it at worst answers 409 TableAlreadyExists, which
    // CreateIfNotExists accepts. Every other POST inserts an entity or submits a transaction.
    private static bool IsRepeatable(Request request) =>
        request.Method != RequestMethod.Post
        || request.Headers.Contains("X-HTTP-Method")
        || request.Uri.Path.EndsWith("/Tables", StringComparison.OrdinalIgnoreCase);
}
