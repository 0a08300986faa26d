using HandInHand.Host.Referrals;
using HandInHand.Host.Security;
using HandInHand.Host.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using static HandInHand.Host.Web.Html;

namespace HandInHand.Host.Development;

/// <summary>
/// The development sign-in page: a browser chooses a staff id and a role and gets the development
/// session cookie. Mapped only in the Development environment, where the development sign-in is
/// the only sign-in; the app refuses to start with it anywhere else.
/// </summary>
public static class DevelopmentSignIn
{
    public const string Path = "/dev/sign-in";

    public static IEndpointRouteBuilder MapDevelopmentSignIn(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, Show).ExcludeFromDescription().AllowAnonymous()
            .WithQueryParameter(ReturnUrlField, "/staff/cases", "The page to go on to after signing in: a path on this site.");
        app.MapPost(Path, SignInAsync).ExcludeFromDescription().AllowAnonymous();
        app.MapPost("/dev/sign-out", SignOutAsync).ExcludeFromDescription().AllowAnonymous();
        return app;
    }

    /// <summary>The query parameter and form field that carry the page to return to after signing in.</summary>
    public const string ReturnUrlField = "returnUrl";

    /// <summary>
    /// The development session's challenge: a page asked for without a sign-in goes to this sign-in
    /// page, which returns to it afterwards; an API call is answered 401, as an API client expects.
    /// </summary>
    public static Task ChallengeAsync(RedirectContext<CookieAuthenticationOptions> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        if (request.Path.StartsWithSegments("/api"))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Task.CompletedTask;
        }

        var back = request.PathBase + request.Path + request.QueryString;
        context.Response.Redirect(Path + "?" + ReturnUrlField + "=" + Uri.EscapeDataString(back));
        return Task.CompletedTask;
    }

    public static IResult Show(HttpContext context, IAntiforgery antiforgery)
    {
        var query = QueryValues.Of(context.Request);
        var returnUrl = query.LocalPath(ReturnUrlField);
        return query.IsValid
            ? FormPage(context, antiforgery, null, StatusCodes.Status200OK, returnUrl)
            : FormPage(context, antiforgery, null, StatusCodes.Status400BadRequest, null, query.Errors);
    }

    private static string? LocalOrNull(string? url) => QueryValues.IsLocalPath(url) ? url : null;

    public static async Task<IResult> SignInAsync(HttpContext context, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var form = await ReferralPages.ReadFormAsync(context, 4096, cancellationToken);
        if (form is null || !await antiforgery.IsRequestValidAsync(context))
        {
            return FormPage(context, antiforgery, "The page had expired. Sign in again.", StatusCodes.Status400BadRequest, LocalOrNull(form?[ReturnUrlField].ToString()));
        }

        var principal = DevelopmentAuthenticationHandler.PrincipalOf(form["staffId"], form["role"], DevelopmentAuthenticationHandler.CookieSchemeName);
        if (principal is null)
        {
            return FormPage(context, antiforgery, "Enter a staff id (letters, digits, '-', '_' or '.') and choose a role.", StatusCodes.Status400BadRequest, LocalOrNull(form[ReturnUrlField]));
        }

        await context.SignInAsync(DevelopmentAuthenticationHandler.CookieSchemeName, principal);

        // Back to the page asked for, when it is a page of this site; never to another host.
        return Results.Redirect(LocalOrNull(form[ReturnUrlField]) ?? Path);
    }

    public static async Task<IResult> SignOutAsync(HttpContext context, IAntiforgery antiforgery)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return FormPage(context, antiforgery, "The page had expired. Sign out again.", StatusCodes.Status400BadRequest);
        }

        await context.SignOutAsync(DevelopmentAuthenticationHandler.CookieSchemeName);
        return Results.Redirect(Path);
    }

    private static IResult FormPage(HttpContext context, IAntiforgery antiforgery, string? error, int status, string? returnUrl = null, IReadOnlyList<Domain.Referrals.FieldError>? queryErrors = null)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        var hidden = $"<input type=\"hidden\" name=\"{E(tokens.FormFieldName)}\" value=\"{E(tokens.RequestToken)}\">";
        var current = context.User.Identity?.IsAuthenticated == true
            ? $"<p id=\"signed-in\">Signed in as {E(context.User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value)} ({E(context.User.FindFirst(System.Security.Claims.ClaimTypes.Role)?.Value)}).</p>\n<form method=\"post\" action=\"/dev/sign-out\">{hidden}<button type=\"submit\">Sign out</button></form>\n"
            : "<p id=\"signed-in\">Not signed in.</p>\n";
        var errorHtml = error is null ? string.Empty : $"<div class=\"error-summary\" role=\"alert\"><p>{E(error)}</p></div>\n";
        if (queryErrors is { Count: > 0 })
        {
            // The link the sign-in came from was not one to follow: say so, and sign in to this page instead.
            errorHtml += Staff.Pages.StaffLayout.ErrorSummary(queryErrors.Select(e => (e.Field, e.Message)))
                + $"<p id=\"{ReturnUrlField}\">After signing in you will stay on this page.</p>\n";
        }
        var options = string.Concat(DevelopmentAuthenticationHandler.RoleNamesList.Select(r => $"<option value=\"{E(r)}\">{E(r)}</option>"));
        return Page("Sign in (development)", $"""
            <h1>Sign in (development)</h1>
            <p>Development only: act as any staff id in any role. In production staff sign in with Microsoft Entra ID.</p>
            {current}{errorHtml}{(returnUrl is null ? string.Empty : "<p id=\"return-notice\">Sign in to go on to the page you asked for.</p>\n")}<form method="post" action="{Path}">
            {hidden}{(returnUrl is null ? string.Empty : $"<input type=\"hidden\" name=\"{ReturnUrlField}\" value=\"{E(returnUrl)}\">")}
            <label for="staffId">Staff id</label>
            <p class="hint" id="staffId-hint">An id, never a name: for example manager-1 or practitioner-selby.</p>
            <input type="text" id="staffId" name="staffId" aria-describedby="staffId-hint" autocomplete="off">
            <label for="role">Role</label>
            <select id="role" name="role">{options}</select>
            <p><button type="submit">Sign in</button></p>
            </form>
            """, status);
    }
}
