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

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? id = Request.Headers[ActorHeaders.IdHeader];
        string? role = Request.Headers[ActorHeaders.RoleHeader];
        if (string.IsNullOrEmpty(id) && string.IsNullOrEmpty(role))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (!StaffIds.IsValid(id) || role is null || !RoleNamesList.Contains(role.ToLowerInvariant()))
        {
            return Task.FromResult(AuthenticateResult.Fail("The development identity headers are malformed."));
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, id!), new Claim(ClaimTypes.Role, role.ToLowerInvariant())],
            SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    private static readonly string[] RoleNamesList =
        [RoleNames.Manager, RoleNames.Practitioner, RoleNames.Panel, RoleNames.Analyst, RoleNames.Admin, RoleNames.Referrer];
}

/// <summary>What a staff id may look like: an opaque id, never a name or an email address.</summary>
public static class StaffIds
{
    public static bool IsValid(string? id) =>
        !string.IsNullOrWhiteSpace(id) && id.Length <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
