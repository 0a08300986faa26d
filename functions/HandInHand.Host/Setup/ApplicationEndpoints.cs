using HandInHand.Host.Audit;
using HandInHand.Host.Development;
using HandInHand.Host.Privacy;
using HandInHand.Host.Referrals;
using HandInHand.Host.Reports;
using HandInHand.Host.Security;
using HandInHand.Host.Staff;
using HandInHand.Host.Staff.Pages;
using HandInHand.Host.Surveys;
using HandInHand.Host.Web;

namespace HandInHand.Host.Setup;

/// <summary>The request pipeline and every endpoint the app maps.</summary>
public static class ApplicationEndpoints
{
    public static WebApplication MapApplicationEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        // First, so that everything after it (HSTS, the rate limits, cookies, sign-in redirects)
        // sees the real client and scheme; it reads the headers from trusted proxies only.
        app.UseForwardedHeaders();
        app.UseSecurityHeaders(strictTransportSecurity: !app.Environment.IsDevelopment(), signInOrigin: SecurityServices.SignInOrigin(app.Configuration, app.Environment));

        // Unhandled failures become a bare 500 problem: no exception text reaches the caller.
        app.UseExceptionHandler();
        app.UseStatusCodePages();

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
        app.MapReferralPages();
        app.MapSurveyPages();
        app.MapReportsApi();
        app.MapReportPages();
        app.MapAccountPages();
        app.MapStaffPages();
        app.MapTriagePages();
        app.MapRetentionPages();
        app.MapEmailPages();
        app.MapPractitionerPages();
        app.MapPanelPages();
        app.MapCaseWorkPages();
        app.MapStylesheet();
        app.MapFavicon();
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
