using System.Security.Claims;
using HandInHand.Domain.Lifecycle;

namespace HandInHand.Host.Web;

/// <summary>
/// Who is acting: the signed-in user's staff id and role, as the history records them. In
/// Development the identity comes from the <c>X-Actor-Id</c> and <c>X-Actor-Role</c> headers
/// (the development sign-in); in production from the Entra ID token.
/// </summary>
public static class ActorHeaders
{
    public const string IdHeader = "X-Actor-Id";
    public const string RoleHeader = "X-Actor-Role";

    /// <summary>The acting user, or null when nobody (or nobody with a single known role) is signed in.</summary>
    public static Actor? From(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return From(request.HttpContext.User);
    }

    public static Actor? From(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var id = user.FindFirst(ClaimTypes.NameIdentifier)?.Value;
        var roles = user.FindAll(ClaimTypes.Role).Select(r => r.Value).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (user.Identity?.IsAuthenticated != true || !Security.StaffIds.IsValid(id) || roles.Count == 0)
        {
            return null;
        }

        // Someone holding several roles acts in the most specific one a command names; the API
        // takes the first of the app's roles in this order.
        foreach (var (name, role) in Order)
        {
            if (roles.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                return new Actor(id!, role);
            }
        }

        return null;
    }

    private static readonly (string Name, Role Role)[] Order =
    [
        (Security.RoleNames.Manager, Role.Manager),
        (Security.RoleNames.Panel, Role.Panel),
        (Security.RoleNames.Practitioner, Role.Practitioner),
        (Security.RoleNames.Admin, Role.Admin),
        (Security.RoleNames.Analyst, Role.Analyst),
        (Security.RoleNames.Referrer, Role.Referrer),
    ];
}
