using System.Text.Json;
using HandInHand.Domain.Referrals;
using HandInHand.Host.Audit;
using HandInHand.Host.Security;
using HandInHand.Infrastructure.Audit;
using HandInHand.Infrastructure.Notifications;
using HandInHand.Infrastructure.Referrals;
using HandInHand.Infrastructure.Workflow;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HandInHand.Host.Privacy;

/// <summary>
/// Subject access: everything held about the young person of one referral, as one JSON document,
/// for the manager. The export is audited like any read (it is an audited route), under its own
/// action name.
/// </summary>
public static class SubjectAccessApi
{
    public static IEndpointRouteBuilder MapSubjectAccessApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("api/referrals/{reference}/subject-access-export", ExportAsync)
            .WithTags("Privacy").RequireAuthorization(Policies.Management).WithMetadata(new AuditedAttribute());
        return app;
    }

    /// <summary>GET /api/referrals/{reference}/subject-access-export: the form, the workflow state and history, notifications, email deliveries and the access log.</summary>
    public static async Task<Results<Ok<SubjectAccessExport>, ProblemHttpResult>> ExportAsync(
        string reference,
        HttpContext context,
        ReferralStore referrals,
        ReferralWorkflowStore workflow,
        NotificationLog notifications,
        EmailDelivery emails,
        AuditTrail audit,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var form = ReferenceNumber.TryParse(reference, out _) ? await referrals.GetAsync(reference, cancellationToken) : null;
        var state = form is null ? null : await workflow.LoadAsync(reference, cancellationToken);
        if (form is null || state is null)
        {
            return Web.Problems.Status(StatusCodes.Status404NotFound, "Referral not found", "No referral has this reference.");
        }

        var history = await workflow.ReadHistoryAsync(reference, cancellationToken);
        var sent = (await emails.ListAsync(cancellationToken: cancellationToken)).Where(d => d.Reference == reference).ToList();
        var export = new SubjectAccessExport(
            reference,
            clock.GetUtcNow(),
            JsonSerializer.SerializeToElement(form.Form, JsonSerializerOptions.Web),
            form.ReceivedAt,
            JsonSerializer.SerializeToElement(state.State, WorkflowJson.Options),
            [.. history.Select(h => JsonSerializer.SerializeToElement(h.Event, WorkflowJson.Options))],
            await notifications.ListAsync(reference, cancellationToken),
            sent,
            [.. (await audit.ReadAsync(reference, cancellationToken)).Select(e => new AccessLogEntry(e.Sequence, e.Event.At, e.Event.ActorId, e.Event.Role, e.Event.Action, e.Event.Outcome))],
            state.State.PossibleDuplicates);
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"subject-access-{reference}.json\"";
        return TypedResults.Ok(export);
    }
}

/// <summary>Everything held about one referral's young person.</summary>
/// <param name="LinkedReferrals">Other referrals that may be about the same young person: export each of them too.</param>
public sealed record SubjectAccessExport(
    string Reference,
    DateTimeOffset ExportedAt,
    JsonElement Form,
    DateTimeOffset ReceivedAt,
    JsonElement WorkflowState,
    IReadOnlyList<JsonElement> History,
    IReadOnlyList<DeliveredNotification> Notifications,
    IReadOnlyList<DeliveryRecord> Emails,
    IReadOnlyList<AccessLogEntry> AccessLog,
    IReadOnlyList<string> LinkedReferrals);
