using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using static HandInHand.Host.Web.Html;

namespace HandInHand.Host.Security;

/// <summary>
/// Signing out, in every environment. <c>POST /account/sign-out</c> (a form post with the
/// antiforgery token, which every staff page's sign-out button sends) ends the session: in
/// production the session cookie and the Entra ID session (the provider's end-session endpoint),
/// in Development the development sign-in's cookie. Either way the browser ends on the plain
/// signed-out page. Anonymous on purpose: signing out must work whatever state the session is in.
/// </summary>
public static class AccountPages
{
    public const string SignOutPath = "/account/sign-out";

    public const string SignedOutPath = "/account/signed-out";

    public static IEndpointRouteBuilder MapAccountPages(this IEndpointRouteBuilder app)
    {
        app.MapGet(SignOutPath, ShowSignOut).ExcludeFromDescription().AllowAnonymous();
        app.MapPost(SignOutPath, SignOutAsync).ExcludeFromDescription().AllowAnonymous();
        app.MapGet(SignedOutPath, ShowSignedOut).ExcludeFromDescription().AllowAnonymous();
        return app;
    }

    /// <summary>GET /account/sign-out: a page with the sign-out button, for a link that cannot post a form.</summary>
    public static IResult ShowSignOut(HttpContext context, IAntiforgery antiforgery) => SignOutPage(context, antiforgery, null, StatusCodes.Status200OK);

    /// <summary>POST /account/sign-out: ends the session here and, in production, at Entra ID.</summary>
    public static async Task<IResult> SignOutAsync(HttpContext context, IAntiforgery antiforgery, IAuthenticationSchemeProvider schemes)
    {
        // Checked here, not by the endpoint filter, so that a stale form gets a page to try again
        // from rather than a bare 400.
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return SignOutPage(context, antiforgery, "The page had expired. Sign out again.", StatusCodes.Status400BadRequest);
        }

        if (await schemes.GetSchemeAsync(OpenIdConnectDefaults.AuthenticationScheme) is not null)
        {
            // The provider's end-session endpoint, then its signed-out callback, then the page below.
            return Results.SignOut(
                new AuthenticationProperties { RedirectUri = SignedOutPath },
                [CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme]);
        }

        await context.SignOutAsync(DevelopmentAuthenticationHandler.CookieSchemeName);
        return Results.Redirect(SignedOutPath);
    }

    /// <summary>GET /account/signed-out: where every sign-out ends.</summary>
    public static IResult ShowSignedOut() => Page("You have signed out", """
        <h1>You have signed out</h1>
        <p>You can close this window.</p>
        """);

    private static IResult SignOutPage(HttpContext context, IAntiforgery antiforgery, string? error, int status)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        var errorHtml = error is null ? string.Empty : $"<div class=\"error-summary\" role=\"alert\"><p>{E(error)}</p></div>\n";
        return Page("Sign out", $"""
            <h1>Sign out</h1>
            {errorHtml}<form method="post" action="{SignOutPath}">
            <input type="hidden" name="{E(tokens.FormFieldName)}" value="{E(tokens.RequestToken)}">
            <p><button type="submit">Sign out</button></p>
            </form>
            """, status);
    }
}
