using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using HandInHand.Infrastructure.Mail;
using HandInHand.Infrastructure.Workflow;
using static HandInHand.Host.Web.Html;

namespace HandInHand.Host.Development;

/// <summary>
/// Pages that exist only in the Development environment: what the app would have sent. Mapped
/// only when the environment is Development, so they do not exist anywhere else.
/// </summary>
public static partial class DevelopmentPages
{
    public static IEndpointRouteBuilder MapDevelopmentPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/dev/notifications", ShowNotificationsAsync).ExcludeFromDescription().AllowAnonymous();
        app.MapGet("/dev/mailbox", ShowMailbox).ExcludeFromDescription().AllowAnonymous();
        app.MapGet("/dev/mailbox/{messageId}", ShowEmail).ExcludeFromDescription().AllowAnonymous();
        return app;
    }

    /// <summary>GET /dev/mailbox: every email the app would have sent, newest first.</summary>
    public static IResult ShowMailbox(IEmailSender sender)
    {
        if (sender is not DevelopmentMailbox mailbox)
        {
            return Results.NotFound();
        }

        var rows = new StringBuilder();
        foreach (var email in mailbox.List())
        {
            rows.Append("<tr><td>").Append(E(email.Written.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)))
                .Append("</td><td><a href=\"/dev/mailbox/").Append(Uri.EscapeDataString(email.MessageId)).Append("\">").Append(E(email.Subject)).Append("</a>")
                .Append("</td><td>").Append(E(email.To)).Append("</td></tr>\n");
        }

        return Page("Mailbox (development)", $"""
            <h1>Mailbox</h1>
            <p>Development only: every email the app would have sent, as written to the development mailbox.</p>
            <table>
            <caption>Newest first</caption>
            <thead><tr><th scope="col">Written (UTC)</th><th scope="col">Subject</th><th scope="col">To</th></tr></thead>
            <tbody>
            {rows}</tbody>
            </table>
            """);
    }

    /// <summary>GET /dev/mailbox/{messageId}: one email as sent (the raw message), and its links, to follow as the recipient would.</summary>
    public static IResult ShowEmail(string messageId, IEmailSender sender)
    {
        if (sender is not DevelopmentMailbox mailbox || mailbox.Read(messageId) is not { } text)
        {
            return Results.NotFound();
        }

        var links = new StringBuilder();
        foreach (var link in LinksIn(text))
        {
            links.Append("<li><a href=\"").Append(E(link)).Append("\">").Append(E(link)).Append("</a></li>\n");
        }

        return Page("Email (development)", $"<h1>Email</h1>\n<h2>Links in this email</h2>\n<ul id=\"links\">\n{links}</ul>\n<h2>As sent</h2>\n<pre>{E(text)}</pre>\n<p><a href=\"/dev/mailbox\">All emails</a></p>");
    }

    /// <summary>
    /// The web links of a message as its reader sees them: the quoted-printable body's soft line
    /// breaks joined and its escapes decoded first, or a long link would be cut in two.
    /// </summary>
    private static IEnumerable<string> LinksIn(string eml)
    {
        var joined = eml.Replace("=\r\n", string.Empty, StringComparison.Ordinal);
        var decoded = QuotedPrintableEscape().Replace(joined, m => ((char)Convert.ToByte(m.Groups[1].Value, 16)).ToString());
        return WebLink().Matches(decoded).Select(m => m.Value).Distinct(StringComparer.Ordinal);
    }

    [GeneratedRegex("=([0-9A-F]{2})")]
    private static partial Regex QuotedPrintableEscape();

    [GeneratedRegex("https?://[^\\s\"<>]+")]
    private static partial Regex WebLink();

    /// <summary>GET /dev/notifications: every notification recorded from the outboxes, newest first.</summary>
    public static async Task<IResult> ShowNotificationsAsync(NotificationLog log, CancellationToken cancellationToken)
    {
        var rows = new StringBuilder();
        foreach (var n in (await log.ListAsync(cancellationToken: cancellationToken)).Reverse())
        {
            rows.Append("<tr><td>").Append(E(n.DeliveredAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)))
                .Append("</td><td>").Append(E(n.Reference))
                .Append("</td><td>").Append(E(n.Kind.ToString()))
                .Append("</td><td>").Append(E(n.RecipientRole.ToString())).Append(n.RecipientId is null ? string.Empty : " " + E(n.RecipientId))
                .Append("</td></tr>\n");
        }

        return Page("Notifications (development)", $"""
            <h1>Notifications</h1>
            <p>Development only: what the app would have sent. Each row is one message, recorded once.</p>
            <table>
            <caption>Newest first</caption>
            <thead><tr><th scope="col">When (UTC)</th><th scope="col">Referral</th><th scope="col">Message</th><th scope="col">To</th></tr></thead>
            <tbody>
            {rows}</tbody>
            </table>
            """);
    }
}
