using System.Text.Json;
using System.Text.Json.Serialization;
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

    /// <summary>
    /// The JSON of the export: the workflow's own serialization (events named by <c>$type</c>) with every
    /// choice written as the kebab-case word the API takes (<c>"riskLevel": "high"</c>), never a number.
    /// </summary>
    internal static readonly JsonSerializerOptions Json = CreateJsonOptions();

    /// <summary>GET /api/referrals/{reference}/subject-access-export: everything held about the young person (docs/privacy.md, "Subject access export").</summary>
    public static async Task<Results<JsonHttpResult<SubjectAccessExport>, ProblemHttpResult>> ExportAsync(
        string reference,
        HttpContext context,
        ReferralStore referrals,
        ReferralWorkflowStore workflow,
        ContactChannels channels,
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
            SubjectAccessExport.CurrentFormat,
            reference,
            clock.GetUtcNow(),
            JsonSerializer.SerializeToElement(form.Form, Json),
            form.ReceivedAt,
            await channels.GetAsync(reference, cancellationToken),
            JsonSerializer.SerializeToElement(state.State, Json),
            [.. history.Select(h => JsonSerializer.SerializeToElement(h.Event, Json))],
            await notifications.ListAsync(reference, cancellationToken),
            sent,
            [.. (await audit.ReadAsync(reference, cancellationToken)).Select(e => new AccessLogEntry(e.Sequence, e.Event.At, e.Event.ActorId, e.Event.Role, e.Event.Action, e.Event.Outcome))],
            state.State.PossibleDuplicates);
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"subject-access-{reference}.json\"";
        return TypedResults.Json(export, Json);
    }

    private static JsonSerializerOptions CreateJsonOptions()
    {
        // A copy of the workflow's options keeps its $type names; only the enum converter differs.
        var options = new JsonSerializerOptions(WorkflowJson.Options);
        options.Converters.Clear();
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
        options.MakeReadOnly();
        return options;
    }
}

/// <summary>Everything held about one referral's young person; docs/privacy.md describes each part and its fields.</summary>
/// <param name="Format">The version of this layout, so a reader can tell which description applies.</param>
/// <param name="ContactChannel">How the young person can be reached, decrypted; null when none was recorded.</param>
/// <param name="LinkedReferrals">Other referrals that may be about the same young person: export each of them too.</param>
public sealed record SubjectAccessExport(
    string Format,
    string Reference,
    DateTimeOffset ExportedAt,
    JsonElement Form,
    DateTimeOffset ReceivedAt,
    ContactChannelRecord? ContactChannel,
    JsonElement WorkflowState,
    IReadOnlyList<JsonElement> History,
    IReadOnlyList<DeliveredNotification> Notifications,
    IReadOnlyList<DeliveryRecord> Emails,
    IReadOnlyList<AccessLogEntry> AccessLog,
    IReadOnlyList<string> LinkedReferrals)
{
    public const string CurrentFormat = "handinhand-subject-access/2";
}
