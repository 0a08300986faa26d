using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace HandInHand.Host.Web;

/// <summary>Limits on the public endpoints (the referral form and API, the status page, later the survey).</summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "RateLimits";

    /// <summary>Requests one client (by address) may make to public endpoints per window.</summary>
    public int PerClientPermits { get; set; } = 20;

    /// <summary>Requests all clients together may make to public endpoints per window.</summary>
    public int TotalPermits { get; set; } = 600;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>Marks an endpoint as public: open to anyone, so rate limited per client and in total.</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, AllowMultiple = false)]
public sealed class PublicEndpointAttribute : Attribute;

/// <summary>
/// Rate limiting of public endpoints: a fixed window per client address chained with one for all
/// clients together, so neither one noisy client nor a crowd can swamp intake. A refusal is a 429
/// with <c>Retry-After</c>: a page for pages, a problem for the API. Staff endpoints are not limited
/// here. The client address is the forwarded one when a trusted proxy gives it (<see cref="TrustedProxies"/>).
/// </summary>
public static class PublicRateLimits
{
    public static IServiceCollection AddPublicRateLimits(this IServiceCollection services, IConfiguration config)
    {
        var options = config.GetSection(RateLimitOptions.SectionName).Get<RateLimitOptions>() ?? new RateLimitOptions();
        services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(context => IsPublic(context)
                    ? RateLimitPartition.GetFixedWindowLimiter("client:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown"), _ => Window(options.PerClientPermits, options.Window))
                    : RateLimitPartition.GetNoLimiter("staff")),
                PartitionedRateLimiter.Create<HttpContext, string>(context => IsPublic(context)
                    ? RateLimitPartition.GetFixedWindowLimiter("all", _ => Window(options.TotalPermits, options.Window))
                    : RateLimitPartition.GetNoLimiter("staff")));
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                var context = rejected.HttpContext;
                var response = context.Response;
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : options.Window;
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                response.StatusCode = StatusCodes.Status429TooManyRequests;
                response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                if (!context.Request.Path.StartsWithSegments("/api"))
                {
                    // A person at a page gets a page. The young person's survey keeps its neutral
                    // layout, which names neither the service nor its purpose.
                    var minutes = (seconds + 59) / 60;
                    var wording = minutes == 1 ? "a minute" : minutes.ToString(CultureInfo.InvariantCulture) + " minutes";
                    await Html.Page(
                        "Too many requests",
                        $"<h1>Too many requests</h1>\n<p>This page has been asked for too many times in a short time. Wait {wording} and try again.</p>",
                        StatusCodes.Status429TooManyRequests,
                        neutral: context.Request.Path.StartsWithSegments("/survey")).ExecuteAsync(context);
                    return;
                }

                var problems = rejected.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many requests",
                        Detail = "Too many requests in a short time. Wait and try again.",
                    },
                });
            };
        });
        return services;
    }

    private static bool IsPublic(HttpContext context) => context.GetEndpoint()?.Metadata.GetMetadata<PublicEndpointAttribute>() is not null;

    private static FixedWindowRateLimiterOptions Window(int permits, TimeSpan window) => new()
    {
        PermitLimit = Math.Max(1, permits),
        Window = window,
        QueueLimit = 0,
        AutoReplenishment = true,
    };
}
