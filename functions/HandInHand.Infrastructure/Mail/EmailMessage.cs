using System.Text;

namespace HandInHand.Infrastructure.Mail;

/// <summary>
/// One email to one recipient. Our emails can be read by the people exploiting a young person, so
/// what goes in here is a reference and a sign-in link: never a name, a date of birth, an address
/// or any detail of a concern. The guards below check form, not content.
/// </summary>
/// <remarks>
/// <see cref="object.ToString"/> prints only <see cref="MessageId"/>: the recipient and the bodies
/// stay out of logs and exception messages.
/// </remarks>
/// <param name="MessageId">
/// Our id for this message, stable across attempts: at most 100 characters from
/// <c>A-Z a-z 0-9 | . _ -</c>. The outbox key, or for a message to a young person an opaque id
/// recorded against that key (our keys begin with the reference, and this id travels). Sent to
/// SendGrid as the custom argument <c>hih_message_id</c>, so a message whose outcome is unknown can
/// be looked up in SendGrid's Email Activity, and written as the local part of the development
/// mailbox's <c>Message-ID</c>.
/// </param>
/// <param name="Subject">At most 200 characters, no line breaks or other control characters.</param>
/// <param name="PlainText">The text/plain body.</param>
/// <param name="Html">The text/html body.</param>
/// <param name="Categories">
/// Optional labels for SendGrid's statistics, sent as the category strings <c>name:value</c>: at
/// most 10, printable US-ASCII, each at most 255 characters written out. SendGrid treats categories
/// as not personal data and keeps them indefinitely, so they must never hold any.
/// </param>
public sealed record EmailMessage(
    string MessageId,
    EmailAddress From,
    EmailAddress To,
    string Subject,
    string PlainText,
    string Html,
    IReadOnlyDictionary<string, string>? Categories = null)
{
    private readonly string _messageId = MailGuards.MessageId(MessageId, nameof(MessageId));
    private readonly EmailAddress _from = From ?? throw new ArgumentNullException(nameof(From));
    private readonly EmailAddress _to = To ?? throw new ArgumentNullException(nameof(To));
    private readonly string _subject = MailGuards.Subject(Subject, nameof(Subject));
    private readonly string _plainText = MailGuards.Body(PlainText, nameof(PlainText));
    private readonly string _html = MailGuards.Body(Html, nameof(Html));
    private readonly IReadOnlyDictionary<string, string>? _categories = MailGuards.Categories(Categories, nameof(Categories));

    public string MessageId
    {
        get => _messageId;
        init => _messageId = MailGuards.MessageId(value, nameof(MessageId));
    }

    public EmailAddress From
    {
        get => _from;
        init => _from = value ?? throw new ArgumentNullException(nameof(From));
    }

    public EmailAddress To
    {
        get => _to;
        init => _to = value ?? throw new ArgumentNullException(nameof(To));
    }

    public string Subject
    {
        get => _subject;
        init => _subject = MailGuards.Subject(value, nameof(Subject));
    }

    public string PlainText
    {
        get => _plainText;
        init => _plainText = MailGuards.Body(value, nameof(PlainText));
    }

    public string Html
    {
        get => _html;
        init => _html = MailGuards.Body(value, nameof(Html));
    }

    public IReadOnlyDictionary<string, string>? Categories
    {
        get => _categories;
        init => _categories = MailGuards.Categories(value, nameof(Categories));
    }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("MessageId = ").Append(MessageId);
        return true;
    }
}
