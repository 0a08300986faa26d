namespace HandInHand.Infrastructure.Email;

/// <summary>
/// SendGrid certainly did not queue the message, for a reason that should pass: it kept answering
/// 429 (rate limit), or it could not be reached at all (connection refused, name not resolved, TLS
/// failed). Sending the same message again later is safe. The message names the message id and what
/// happened only: never the API key, the recipient or the content.
/// </summary>
public sealed class SendGridException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="status">429, or 0 when SendGrid could not be reached.</param>
    /// <param name="message">A message free of the key, recipients and content.</param>
    /// <param name="retryAfter">When SendGrid said the rate limit resets, if it did.</param>
    /// <param name="innerException">The connection failure, if any.</param>
    public SendGridException(int status, string message, DateTimeOffset? retryAfter = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Status = status;
        RetryAfter = retryAfter;
    }

    /// <summary>429, or 0 when there was no answer.</summary>
    public int Status { get; }

    /// <summary>When SendGrid's rate limit resets (its <c>X-RateLimit-Reset</c>), if known.</summary>
    public DateTimeOffset? RetryAfter { get; }
}
