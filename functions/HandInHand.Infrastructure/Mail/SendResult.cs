namespace HandInHand.Infrastructure.Mail;

/// <summary>
/// What is known after trying to send one email. A closed hierarchy: <see cref="Accepted"/>,
/// <see cref="Rejected"/> and <see cref="Unknown"/> are the only cases. None of them carries the
/// message's content or recipient, so a result may be logged as it is.
/// </summary>
public abstract record SendResult
{
    private SendResult()
    {
    }

    /// <summary>The service took the message (SendGrid: queued for delivery; that is not delivered).</summary>
    /// <param name="ProviderMessageId">The service's id for it (SendGrid's <c>X-Message-Id</c>), if it gave one.</param>
    public sealed record Accepted(string? ProviderMessageId) : SendResult;

    /// <summary>
    /// The service refused the message (a 4xx other than 429) and did not queue it. Permanent for this
    /// message as it stands: it goes to a dead-letter state from which a manager may retry it once the
    /// cause (an address, the sender, the key) is put right.
    /// </summary>
    /// <param name="Status">The HTTP status.</param>
    /// <param name="Error">The service's own explanation (SendGrid's <c>errors[].field: message</c>), never our message body.</param>
    public sealed record Rejected(int Status, string Error) : SendResult;

    /// <summary>
    /// The message may or may not have been queued: the connection broke or timed out after the
    /// request may have been received, or the service failed after it may have queued it. It must
    /// NEVER be resent blindly: someone has to look (SendGrid's Email Activity, by the
    /// <c>hih_message_id</c> custom argument) and decide.
    /// </summary>
    /// <param name="Reason">What happened, in words; no content, no key.</param>
    public sealed record Unknown(string Reason) : SendResult;
}
