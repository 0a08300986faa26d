using HandInHand.Host.Security;
using HandInHand.Infrastructure.Audit;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HandInHand.Host.Audit;

/// <summary>The manager's "who accessed this record" view, and the audit verification.</summary>
public static class AuditApi
{
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("api/referrals/{reference}/audit", GetAccessLogAsync)
            .WithTags("Audit").RequireAuthorization(Policies.Management).WithMetadata(new AuditedAttribute());
        app.MapPost("api/audit/verify", VerifyAsync).WithTags("Audit").RequireAuthorization(Policies.Operations);
        return app;
    }

    /// <summary>GET /api/referrals/{reference}/audit: who read or changed this record, when, and with what outcome.</summary>
    public static async Task<Ok<IReadOnlyList<AccessLogEntry>>> GetAccessLogAsync(string reference, AuditTrail trail, CancellationToken cancellationToken)
    {
        var entries = await trail.ReadAsync(reference, cancellationToken);
        IReadOnlyList<AccessLogEntry> log = [.. entries.Select(e => new AccessLogEntry(e.Sequence, e.Event.At, e.Event.ActorId, e.Event.Role, e.Event.Action, e.Event.Outcome))];
        return TypedResults.Ok(log);
    }

    /// <summary>POST /api/audit/verify: checks every chain and names the first broken link of each broken one.</summary>
    public static async Task<Ok<IReadOnlyList<AuditVerification>>> VerifyAsync(AuditTrail trail, CancellationToken cancellationToken)
    {
        var results = await trail.VerifyAllAsync(cancellationToken);
        IReadOnlyList<AuditVerification> broken = [.. results.Where(r => !r.Intact)];
        return TypedResults.Ok(broken);
    }
}

public sealed record AccessLogEntry(long Sequence, DateTimeOffset At, string ActorId, string Role, string Action, string Outcome);
