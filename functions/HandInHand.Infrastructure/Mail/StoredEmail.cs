namespace HandInHand.Infrastructure.Mail;

/// <summary>One message in the <see cref="DevelopmentMailbox"/>, as its headers describe it.</summary>
/// <param name="MessageId">Our message id (from the <c>Message-ID</c> header).</param>
/// <param name="To">The <c>To</c> header, decoded.</param>
/// <param name="Subject">The <c>Subject</c> header, decoded.</param>
/// <param name="Path">The <c>.eml</c> file.</param>
/// <param name="Written">When the mailbox last wrote it, by the mailbox's clock (UTC).</param>
public sealed record StoredEmail(string MessageId, string To, string Subject, string Path, DateTimeOffset Written);
