using System.Globalization;
using System.Text;
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
        return app;
    }

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
