using System.Globalization;
using System.Text;
using HandInHand.Infrastructure.Mail;
using HandInHand.Infrastructure.Workflow;
using static HandInHand.Host.Web.Html;

namespace HandInHand.Host.Development;

/// <summary>
/// Pages that exist only in the Development environment: what the app would have sent. Mapped
/// only when the environment is Development, so they do not exist anywhere else.
/// </summary>
public static class DevelopmentPages
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

    /// <summary>GET /dev/mailbox/{messageId}: one email as sent (the raw message).</summary>
    public static IResult ShowEmail(string messageId, IEmailSender sender) =>
        sender is DevelopmentMailbox mailbox && mailbox.Read(messageId) is { } text
            ? Page("Email (development)", $"<h1>Email</h1>\n<pre>{E(text)}</pre>\n<p><a href=\"/dev/mailbox\">All emails</a></p>")
            : Results.NotFound();

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
