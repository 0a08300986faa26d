using System.Security.Claims;
using System.Text.Encodings.Web;
using HandInHand.Host.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace HandInHand.Host.Security;

/// <summary>
/// The development sign-in: the caller says who they are in the <c>X-Actor-Id</c> and
/// <c>X-Actor-Role</c> headers. It is registered only in the Development environment, and the app
/// refuses to start if it is asked for anywhere else (see <see cref="SecurityServices"/>).
/// </summary>
public sealed class DevelopmentAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Development";

    /// <summary>The cookie the development sign-in page sets, read when a request carries no identity headers.</summary>
    public const string CookieSchemeName = "DevelopmentCookie";

    /// <summary>The roles a development identity may take.</summary>
    public static readonly IReadOnlyList<string> RoleNamesList =
        [RoleNames.Manager, RoleNames.Practitioner, RoleNames.Panel, RoleNames.Analyst, RoleNames.Admin, RoleNames.Referrer];

    /// <summary>The principal of a development identity, or null when the id or role is not acceptable.</summary>
    public static ClaimsPrincipal? PrincipalOf(string? id, string? role, string scheme)
    {
        if (!StaffIds.IsValid(id) || role is null || !RoleNamesList.Contains(role.ToLowerInvariant()))
        {
            return null;
        }

        return new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, id!), new Claim(ClaimTypes.Role, role.ToLowerInvariant())], scheme));
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? id = Request.Headers[ActorHeaders.IdHeader];
        string? role = Request.Headers[ActorHeaders.RoleHeader];
        if (string.IsNullOrEmpty(id) && string.IsNullOrEmpty(role))
        {
            return await Context.AuthenticateAsync(CookieSchemeName);
        }

        return PrincipalOf(id, role, SchemeName) is { } principal
            ? AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName))
            : AuthenticateResult.Fail("The development identity headers are malformed.");
    }
}

/// <summary>What a staff id may look like: an opaque id, never a name or an email address.</summary>
public static class StaffIds
{
    public static bool IsValid(string? id) =>
        !string.IsNullOrWhiteSpace(id) && id.Length <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
