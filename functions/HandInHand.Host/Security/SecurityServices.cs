using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;

namespace HandInHand.Host.Security;

/// <summary>Microsoft Entra ID settings (tenant, client, audience) for production sign-in.</summary>
public sealed class EntraOptions
{
    public const string SectionName = "Entra";

    public string? TenantId { get; set; }
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }
    public string? Audience { get; set; }
    public string Instance { get; set; } = "https://login.microsoftonline.com/";
}

/// <summary>Session cookie lifetimes: a session ends after <see cref="IdleTimeout"/> without use, and after <see cref="AbsoluteTimeout"/> in any case.</summary>
public sealed class SessionOptions
{
    public const string SectionName = "Session";

    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);
    public TimeSpan AbsoluteTimeout { get; set; } = TimeSpan.FromHours(8);
}

/// <summary>
/// Sign-in and authorization, deny by default. In production staff sign in with Entra ID:
/// OpenID Connect and a session cookie for pages, JWT bearer tokens for the API, roles from the
/// token's role claims. In Development only, a header-based sign-in stands in; it cannot be
/// switched on anywhere else.
/// </summary>
public static class SecurityServices
{
    /// <summary>The scheme that picks bearer tokens for API calls and the session cookie for pages.</summary>
    public const string StaffScheme = "Staff";

    // The session's sign-in moment, in the cookie's (protected) properties.
    private const string SignedInItem = ".hih.signed-in";

    /// <summary>Whether staff sign in through the development sign-in (Development only) rather than Entra ID.</summary>
    public static bool UsesDevelopmentSignIn(IConfiguration config, IHostEnvironment environment) =>
        config.GetValue("Authentication:DevelopmentSignIn", environment.IsDevelopment());

    /// <summary>The origin of the OpenID Connect provider staff sign in at (Entra ID), or null with the development sign-in.</summary>
    public static string? SignInOrigin(IConfiguration config, IHostEnvironment environment)
    {
        if (UsesDevelopmentSignIn(config, environment))
        {
            return null;
        }

        var entra = config.GetSection(EntraOptions.SectionName).Get<EntraOptions>() ?? new EntraOptions();
        return new Uri(entra.Instance).GetLeftPart(UriPartial.Authority);
    }

    public static IServiceCollection AddSecurity(this IServiceCollection services, IConfiguration config, IHostEnvironment environment)
    {
        var developmentSignIn = UsesDevelopmentSignIn(config, environment);
        if (developmentSignIn && !environment.IsDevelopment())
        {
            throw new InvalidOperationException("The development sign-in exists only in the Development environment.");
        }

        var authentication = developmentSignIn
            ? services.AddAuthentication(DevelopmentAuthenticationHandler.SchemeName)
                // A page asked for without a sign-in goes to the development sign-in page (the cookie scheme's challenge).
                .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, DevelopmentAuthenticationHandler>(DevelopmentAuthenticationHandler.SchemeName, o => o.ForwardChallenge = DevelopmentAuthenticationHandler.CookieSchemeName)
                .AddCookie(DevelopmentAuthenticationHandler.CookieSchemeName, o =>
                {
                    // The development sign-in page's session, for a browser (which cannot send the identity headers).
                    o.Cookie.Name = "__Host-hih-dev";
                    o.Cookie.SecurePolicy = CookieSecurePolicy.Always;
                    o.Cookie.HttpOnly = true;
                    o.Cookie.SameSite = SameSiteMode.Strict;
                    o.ExpireTimeSpan = TimeSpan.FromHours(8);
                    o.Events.OnRedirectToLogin = Development.DevelopmentSignIn.ChallengeAsync;
                    o.Events.OnRedirectToAccessDenied = c => { c.Response.StatusCode = StatusCodes.Status403Forbidden; return Task.CompletedTask; };
                })
            : AddEntra(services, config);

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            // No referrer role here: a referrer has no account (PRODUCT.md §2) and acts on a
            // referral only with its access code, through the public status routes.
            .AddPolicy(Policies.CaseWork, p => p.RequireRole(RoleNames.Manager, RoleNames.Practitioner, RoleNames.Panel))
            .AddPolicy(Policies.CaseReading, p => p.RequireRole(RoleNames.Manager, RoleNames.Practitioner, RoleNames.Panel))
            .AddPolicy(Policies.Triage, p => p.RequireRole(RoleNames.Manager, RoleNames.Panel))
            .AddPolicy(Policies.Management, p => p.RequireRole(RoleNames.Manager))
            .AddPolicy(Policies.Operations, p => p.RequireRole(RoleNames.Admin))
            .AddPolicy(Policies.Reports, p => p.RequireRole(RoleNames.Manager, RoleNames.Analyst));
        _ = authentication;
        return services;
    }

    private static Microsoft.AspNetCore.Authentication.AuthenticationBuilder AddEntra(IServiceCollection services, IConfiguration config)
    {
        var entra = config.GetSection(EntraOptions.SectionName).Get<EntraOptions>() ?? new EntraOptions();
        var session = config.GetSection(SessionOptions.SectionName).Get<SessionOptions>() ?? new SessionOptions();
        var authority = new Uri(new Uri(entra.Instance), $"{entra.TenantId}/v2.0").ToString();
        return services.AddAuthentication(o =>
            {
                o.DefaultScheme = StaffScheme;
                o.DefaultChallengeScheme = StaffScheme;
            })
            .AddPolicyScheme(StaffScheme, "Entra ID", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? JwtBearerDefaults.AuthenticationScheme
                    : context.Request.Path.StartsWithSegments("/api") ? JwtBearerDefaults.AuthenticationScheme : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddJwtBearer(o =>
            {
                o.Authority = authority;
                o.Audience = entra.Audience ?? entra.ClientId;
                o.MapInboundClaims = false;
                o.TokenValidationParameters.RoleClaimType = ClaimTypes.Role;
                o.TokenValidationParameters.NameClaimType = "oid";
                o.Events = new JwtBearerEvents { OnTokenValidated = c => NormaliseAsync(c.Principal) };
            })
            .AddCookie(o =>
            {
                // __Host-: Secure, path /, no domain. Idle timeout slides; the absolute one is checked on every request.
                o.Cookie.Name = "__Host-hih-session";
                o.Cookie.SecurePolicy = CookieSecurePolicy.Always;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.ExpireTimeSpan = session.IdleTimeout;
                o.SlidingExpiration = true;
                // A page that needs sign-in sends the browser to Entra ID, which brings it back to the
                // page asked for (path and query). The cookie handler's own login page does not exist:
                // redirecting there, to a route that itself needs sign-in, looped for ever.
                o.ForwardChallenge = OpenIdConnectDefaults.AuthenticationScheme;
                o.Events.OnRedirectToAccessDenied = c => { c.Response.StatusCode = StatusCodes.Status403Forbidden; return Task.CompletedTask; };
                o.Events.OnSigningIn = c =>
                {
                    // Sliding renewal re-issues the ticket with a new IssuedUtc, so the absolute limit
                    // counts from a moment of its own, written once, when the person signed in.
                    c.Properties.Items.TryAdd(SignedInItem, (c.Options.TimeProvider ?? TimeProvider.System).GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
                    return Task.CompletedTask;
                };
                o.Events.OnValidatePrincipal = c =>
                {
                    var now = (c.Options.TimeProvider ?? TimeProvider.System).GetUtcNow();
                    if (!c.Properties.Items.TryGetValue(SignedInItem, out var text)
                        || !DateTimeOffset.TryParseExact(text, "O", CultureInfo.InvariantCulture, DateTimeStyles.None, out var signedIn)
                        || now - signedIn > session.AbsoluteTimeout)
                    {
                        c.RejectPrincipal();
                    }

                    return Task.CompletedTask;
                };
            })
            .AddOpenIdConnect(o =>
            {
                o.Authority = authority;
                o.ClientId = entra.ClientId;
                o.ClientSecret = entra.ClientSecret;
                o.ResponseType = "code";
                // Where the provider's end-session endpoint sends the browser back to, through the
                // signed-out callback (the sign-out route sets it too).
                o.SignedOutRedirectUri = AccountPages.SignedOutPath;
                o.MapInboundClaims = false;
                o.SignInScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                o.TokenValidationParameters.RoleClaimType = ClaimTypes.Role;
                o.TokenValidationParameters.NameClaimType = "oid";
                o.Events = new OpenIdConnectEvents { OnTokenValidated = c => NormaliseAsync(c.Principal) };
            });
    }

    /// <summary>
    /// Entra's object id and app roles become the app's staff id and role claims. The roles are
    /// lower-cased into <see cref="ClaimTypes.Role"/>, the role claim type the policies read, so an
    /// app role defined as "Manager" in the tenant is the manager role here.
    /// </summary>
    private static Task NormaliseAsync(ClaimsPrincipal? principal)
    {
        if (principal?.Identity is ClaimsIdentity identity)
        {
            if (identity.FindFirst("oid") is { } oid && identity.FindFirst(ClaimTypes.NameIdentifier) is null)
            {
                identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, oid.Value));
            }

            foreach (var role in identity.FindAll("roles").ToList())
            {
                identity.AddClaim(new Claim(ClaimTypes.Role, role.Value.ToLowerInvariant()));
            }
        }

        return Task.CompletedTask;
    }
}
