using HandInHand.Host.Security;
using HandInHand.Infrastructure.Notifications;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HandInHand.Host.Staff;

/// <summary>
/// <c>POST /api/digests/run</c>: today's digests, for a Functions timer trigger (or an
/// administrator). Safe to call at any time and any number of times: each recipient gets at most
/// one digest a day.
/// </summary>
public static class DigestApi
{
    /// <summary>Maps the route. Who may run the digests is decided here, by the route's policy, and nowhere else.</summary>
    public static RouteHandlerBuilder MapDigestApi(this IEndpointRouteBuilder app) =>
        app.MapPost("api/digests/run", RunAsync).WithTags("Digests").RequireAuthorization(Policies.Operations);

    public static async Task<Ok<DigestRunReport>> RunAsync(DigestJob job, CancellationToken cancellationToken) =>
        TypedResults.Ok(await job.RunAsync(cancellationToken));
}
