namespace HandInHand.Infrastructure.Mail;

/// <summary>Hands one email to a mail service (SendGrid) or, in development, to a folder.</summary>
public interface IEmailSender
{
    /// <summary>
    /// Sends <paramref name="message"/> once. The result says what is known about it; see
    /// <see cref="SendResult"/> for what the caller must and must not do with each case.
    /// </summary>
    Task<SendResult> SendAsync(EmailMessage message, CancellationToken cancellationToken = default);
}
