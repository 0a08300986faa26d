using HandInHand.Infrastructure.Mail;
using SendGrid.Helpers.Mail;
using SdkAddress = SendGrid.Helpers.Mail.EmailAddress;

namespace HandInHand.Infrastructure.Email;

/// <summary>
/// Our <see cref="EmailMessage"/> as the SDK's <see cref="SendGridMessage"/>, field for field: one
/// recipient, sender, subject, text/plain and text/html bodies, the categories, and our message id
/// as the custom argument <c>hih_message_id</c>. What a message carries is decided where it is
/// composed; this only translates it, and adds nothing of its own but the id, tracking switched off
/// and sandbox mode.
/// </summary>
internal static class SendGridMessages
{
    /// <summary>The custom argument that carries our message id, for settling an unknown outcome in SendGrid's Email Activity.</summary>
    internal const string MessageIdArgument = "hih_message_id";

    internal static SendGridMessage From(EmailMessage message, bool sandboxMode)
    {
        var mail = new SendGridMessage
        {
            From = Address(message.From),
            Subject = message.Subject,
            PlainTextContent = message.PlainText,
            HtmlContent = message.Html,
        };
        mail.AddTo(Address(message.To));
        mail.AddCustomArg(MessageIdArgument, message.MessageId);
        if (message.Categories is { Count: > 0 } categories)
        {
            // Sorted so that the same message always reads the same in SendGrid's statistics.
            mail.AddCategories([.. categories.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => c.Key + ":" + c.Value)]);
        }

        // No tracking, ever: click tracking would rewrite every link (a survey link's token
        // included) through SendGrid's domain, and an open-tracking pixel reports to whoever
        // else reads the mailbox that the mail was opened. The account may have either on.
        mail.SetClickTracking(false, false);
        mail.SetOpenTracking(false);

        if (sandboxMode)
        {
            mail.SetSandBoxMode(true);
        }

        return mail;
    }

    private static SdkAddress Address(Mail.EmailAddress address) => new(address.Email, address.Name);
}
