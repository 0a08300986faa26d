using HandInHand.Domain.Lifecycle;

namespace HandInHand.Host.Web;

/// <summary>
/// Who is calling, until sign-in exists: the <c>X-Actor-Id</c> and <c>X-Actor-Role</c> headers.
/// Every staff call names its actor so that the history records who did what in which role; the
/// sign-in issue replaces this with claims from the token.
/// </summary>
public static class ActorHeaders
{
    public const string IdHeader = "X-Actor-Id";
    public const string RoleHeader = "X-Actor-Role";

    /// <summary>The calling actor, or null when the headers are missing or malformed.</summary>
    public static Actor? From(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        string? id = request.Headers[IdHeader];
        string? role = request.Headers[RoleHeader];
        if (string.IsNullOrWhiteSpace(id) || id.Length > 64 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            || !Enum.TryParse<Role>(role, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || parsed == Role.System)
        {
            return null;
        }

        return new Actor(id, parsed);
    }
}
