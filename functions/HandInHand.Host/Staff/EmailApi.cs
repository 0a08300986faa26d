using HandInHand.Host.Security;
using HandInHand.Host.Web;
using HandInHand.Infrastructure.Notifications;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HandInHand.Host.Staff;

/// <summary>
/// The manager's view of emails that did not go (refused by the provider, outcome unknown, no
/// address) and the retry a person decides on. Nothing here shows an address or a message body.
/// </summary>
public static class EmailApi
{
    public static IEndpointRouteBuilder MapEmailApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("api/staff/emails").WithTags("Staff").RequireAuthorization(Policies.Management);
        group.MapGet("", ListEmailsAsync).WithQueryParameter("status", nameof(DeliveryStatus.Failed), "Only records with this delivery status (" + string.Join(", ", Enum.GetNames<DeliveryStatus>()) + ", any case); default every one that did not go.");
        group.MapPost("{reference}/{messageId}/retry", RetryEmailAsync).WithQueryParameter("includingUnknown", "true", "true to resend an email whose outcome is unknown.");
        return app;
    }

    /// <summary>GET /api/staff/emails?status=Failed: delivery records, by status (default: every one that did not go).</summary>
    public static async Task<Results<Ok<IReadOnlyList<DeliveryRecord>>, ValidationProblem>> ListEmailsAsync(HttpRequest request, EmailDelivery delivery, CancellationToken cancellationToken)
    {
        var query = QueryValues.Of(request);
        var status = query.Choice<DeliveryStatus>("status");
        if (!query.IsValid)
        {
            return Problems.Fields([.. query.Errors]);
        }

        IReadOnlyList<DeliveryRecord> records = status is null
            ? [.. (await delivery.ListAsync(cancellationToken: cancellationToken)).Where(r => r.Status is DeliveryStatus.Failed or DeliveryStatus.Unknown or DeliveryStatus.NoChannel)]
            : await delivery.ListAsync(status, cancellationToken);
        return TypedResults.Ok(records);
    }

    /// <summary>
    /// POST /api/staff/emails/{reference}/{messageId}/retry: sends a failed email again; an email whose
    /// outcome is unknown only with <c>includingUnknown=true</c>, the manager having decided it did not arrive.
    /// </summary>
    public static async Task<Results<Ok<RetryOutcome>, ValidationProblem, ProblemHttpResult>> RetryEmailAsync(
        string reference, string messageId, HttpRequest request, EmailDelivery delivery, CancellationToken cancellationToken)
    {
        var query = QueryValues.Of(request);
        var includingUnknown = query.Flag("includingUnknown");
        if (!query.IsValid)
        {
            return Problems.Fields([.. query.Errors]);
        }

        try
        {
            var status = await delivery.RetryAsync(reference, messageId, includingUnknown ?? false, cancellationToken);
            return TypedResults.Ok(new RetryOutcome(messageId, status.ToString()));
        }
        catch (InvalidOperationException)
        {
            return Problems.Status(StatusCodes.Status404NotFound, "Email not found", "There is no such email.");
        }
    }
}

public sealed record RetryOutcome(string MessageId, string Status);
