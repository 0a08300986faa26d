using HandInHand.Host.Web;
using HandInHand.Infrastructure.Audit;

namespace HandInHand.Host.Audit;

/// <summary>Marks an endpoint that reads or changes one young person's record: every call to it is audited.</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, AllowMultiple = false)]
public sealed class AuditedAttribute : Attribute;

/// <summary>
/// Writes an audit entry for every call to an <see cref="AuditedAttribute"/> endpoint: who (staff
/// id, or "anonymous"), in what role, what (the endpoint), which record (the reference in the
/// route), when, and the outcome, including refusals by the authorization layer, which this
/// middleware sits outside of.
/// </summary>
public sealed partial class AuditMiddleware(RequestDelegate next, AuditTrail trail, TimeProvider clock, ILogger<AuditMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var endpoint = context.GetEndpoint();
        if (endpoint?.Metadata.GetMetadata<AuditedAttribute>() is null || context.Request.RouteValues["reference"] is not string reference)
        {
            await next(context);
            return;
        }

        await next(context);

        var actor = ActorHeaders.From(context.User);
        var route = (endpoint as RouteEndpoint)?.RoutePattern.RawText ?? endpoint.DisplayName ?? "unknown";
        var action = context.Request.Method + " /" + route.Trim('/');
        var outcome = context.Response.StatusCode switch
        {
            // A staff page answers a change it made with a redirect to the page that shows it.
            < 400 => "allowed",
            StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden => "refused",
            StatusCodes.Status404NotFound => "not-found",
            < 500 => "rejected",
            _ => "failed",
        };

        // The reference is checked for shape so that a caller cannot write arbitrary partitions.
        var record = Domain.Referrals.ReferenceNumber.TryParse(reference, out var parsed) ? parsed.ToString() : "malformed-reference";
        try
        {
            await trail.AppendAsync(new AuditEvent(record, actor?.Id ?? "anonymous", actor?.Role.ToString() ?? "none", action, outcome, clock.GetUtcNow()), context.RequestAborted);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogAuditFailed(logger, record, ex.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The audit entry for {Reference} could not be written ({Error})")]
    private static partial void LogAuditFailed(ILogger logger, string reference, string error);
}
