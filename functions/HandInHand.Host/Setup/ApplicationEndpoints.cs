using HandInHand.Host.Development;
using HandInHand.Host.Referrals;
using HandInHand.Host.Staff;

namespace HandInHand.Host.Setup;

/// <summary>The request pipeline and every endpoint the app maps.</summary>
public static class ApplicationEndpoints
{
    public static WebApplication MapApplicationEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        // Unhandled failures become a bare 500 problem: no exception text reaches the caller.
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
            headers["Referrer-Policy"] = "no-referrer";
            headers.CacheControl = "no-store";
            await next(context);
        });

        app.MapOpenApi();
        app.MapHealthChecks("/health").ExcludeFromDescription();
        app.MapReferralApi();
        app.MapReferralCommandApi();
        app.MapStaffApi();
        app.MapReferralPages();
        if (app.Environment.IsDevelopment())
        {
            app.MapDevelopmentPages();
        }
        return app;
    }
}
