using HandInHand.Host.Security;
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
        group.MapGet("", ListEmailsAsync);
        group.MapPost("{reference}/{messageId}/retry", RetryEmailAsync);
        return app;
    }

    /// <summary>GET /api/staff/emails?status=Failed: delivery records, by status (default: every one that did not go).</summary>
    public static async Task<Ok<IReadOnlyList<DeliveryRecord>>> ListEmailsAsync(EmailDelivery delivery, DeliveryStatus? status, CancellationToken cancellationToken)
    {
        IReadOnlyList<DeliveryRecord> records = status is null
            ? [.. (await delivery.ListAsync(cancellationToken: cancellationToken)).Where(r => r.Status is DeliveryStatus.Failed or DeliveryStatus.Unknown or DeliveryStatus.NoChannel)]
            : await delivery.ListAsync(status, cancellationToken);
        return TypedResults.Ok(records);
    }

    /// <summary>
    /// POST /api/staff/emails/{reference}/{messageId}/retry: sends a failed email again; an email whose
    /// outcome is unknown only with <c>includingUnknown=true</c>, the manager having decided it did not arrive.
    /// </summary>
    public static async Task<Results<Ok<RetryOutcome>, ProblemHttpResult>> RetryEmailAsync(
        string reference, string messageId, bool? includingUnknown, EmailDelivery delivery, CancellationToken cancellationToken)
    {
        try
        {
            var status = await delivery.RetryAsync(reference, messageId, includingUnknown ?? false, cancellationToken);
            return TypedResults.Ok(new RetryOutcome(messageId, status.ToString()));
        }
        catch (InvalidOperationException)
        {
            return Web.Problems.Status(StatusCodes.Status404NotFound, "Email not found", "There is no such email.");
        }
    }
}

public sealed record RetryOutcome(string MessageId, string Status);
