using HandInHand.Host.Security;
using HandInHand.Infrastructure.Retention;
using HandInHand.Infrastructure.Workflow;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HandInHand.Host.Staff;

/// <summary>
/// Retention: the manager's review queue (<c>GET /api/staff/retention-reviews</c>) and the
/// scheduled job (<c>POST /api/retention/run</c>, for a Functions timer trigger or an
/// administrator). The manager confirms an erasure, or places a legal hold, on the referral itself:
/// <c>POST /api/referrals/{reference}/erase</c>, <c>…/legal-hold</c>, <c>…/legal-hold/release</c>.
/// </summary>
public static class RetentionApi
{
    public static IEndpointRouteBuilder MapRetentionApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("api/staff/retention-reviews", ListAsync).WithTags("Retention").RequireAuthorization(Policies.Management);
        app.MapPost("api/retention/run", RunAsync).WithTags("Retention").RequireAuthorization(Policies.Operations);
        return app;
    }

    /// <summary>The records whose retention period has ended, longest waiting first, with any legal hold.</summary>
    public static async Task<Ok<IReadOnlyList<RetentionReviewView>>> ListAsync(RetentionService retention, ReferralWorkflowStore store, CancellationToken cancellationToken)
    {
        var views = new List<RetentionReviewView>();
        foreach (var item in await retention.ListAsync(cancellationToken))
        {
            var state = (await store.LoadAsync(item.Reference, cancellationToken))?.State;
            views.Add(new RetentionReviewView(item.Reference, item.DueAt, state?.Stage.ToString() ?? "Unknown", state?.ClosedAt, state?.LegalHold ?? false));
        }

        return TypedResults.Ok<IReadOnlyList<RetentionReviewView>>(views);
    }

    public static async Task<Ok<RetentionSweep>> RunAsync(RetentionService retention, CancellationToken cancellationToken) =>
        TypedResults.Ok(await retention.RunAsync(cancellationToken));
}

/// <summary>One record in the retention review queue: no personal data, only what the decision needs.</summary>
public sealed record RetentionReviewView(string Reference, DateTimeOffset ReviewDueAt, string Stage, DateTimeOffset? ClosedAt, bool LegalHold);
