using HandInHand.Host.Audit;
using HandInHand.Host.Development;
using HandInHand.Host.Functions;
using HandInHand.Host.Privacy;
using HandInHand.Host.Referrals;
using HandInHand.Host.Reports;
using HandInHand.Host.Staff;
using HandInHand.Host.Surveys;
using HandInHand.Host.Web;

namespace HandInHand.Host.Setup;

/// <summary>The request pipeline and every endpoint the app maps.</summary>
public static class ApplicationEndpoints
{
    public static WebApplication MapApplicationEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        // Unhandled failures become a bare 500 problem: no exception text reaches the caller.
        app.UseExceptionHandler();
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        app.UseStatusCodePages();
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers.ContentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
            headers["Referrer-Policy"] = "no-referrer";
            // Pages and API answers may show a case: nothing is cached unless an endpoint says otherwise.
            headers.CacheControl = "no-store";
            await next(context);
        });

        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseMiddleware<AuditMiddleware>();
        app.UseAuthorization();
        app.MapOpenApi().AllowAnonymous();
        app.MapHealthChecks("/health").ExcludeFromDescription().AllowAnonymous();
        app.MapReferralApi();
        app.MapReferralCommandApi();
        app.MapStaffApi();
        app.MapDigestApi();
        app.MapAuditApi();
        app.MapSubjectAccessApi();
        app.MapEmailApi();
        app.MapRetentionApi();
        app.MapDeadLetterApi();
        app.MapFunctionHandlers();
        app.MapReferralPages();
        app.MapSurveyPages();
        app.MapReportsApi();
        app.MapReportPages();
        app.MapStylesheet();
        if (app.Environment.IsDevelopment())
        {
            // Development only: a browser cannot send the development identity headers.
            app.MapDevelopmentPages();
            if (app.Configuration.GetValue("Authentication:DevelopmentSignIn", true))
            {
                app.MapDevelopmentSignIn();
            }
        }
        return app;
    }
}
