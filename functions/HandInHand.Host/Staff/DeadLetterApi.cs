using HandInHand.Host.Security;
using HandInHand.Infrastructure.Messaging;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HandInHand.Host.Staff;

/// <summary>
/// <c>GET /api/staff/dead-letters</c>: the notifications Service Bus gave up on (each an email that did
/// not go), with their count, for the manager. References, kinds, reasons and times only.
/// </summary>
public static class DeadLetterApi
{
    /// <summary>The manager's view of dead letters.</summary>
    public sealed record DeadLetterView(int Count, IReadOnlyList<DeadLetter> Items);

    public static RouteHandlerBuilder MapDeadLetterApi(this IEndpointRouteBuilder app) =>
        app.MapGet("api/staff/dead-letters", ListAsync).WithTags("Staff").RequireAuthorization(Policies.Management);

    public static async Task<Ok<DeadLetterView>> ListAsync(DeadLetterLog log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(log);
        var items = await log.ListAsync(cancellationToken);
        return TypedResults.Ok(new DeadLetterView(items.Count, items));
    }
}
