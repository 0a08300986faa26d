using Microsoft.AspNetCore.HttpsPolicy;
using Microsoft.Extensions.Options;

namespace HandInHand.Host.Web;

/// <summary>
/// The headers every answer carries (pages, API, refusals and failures alike). They are added as
/// the response starts, not before the endpoint runs, because the exception handler clears the
/// headers before it writes a 500: set earlier, they would be lost on exactly the answers nobody planned.
/// A header an endpoint sets itself (the stylesheet's caching, say) is left as it is.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>Browser features the app never uses, switched off for it and anything it could embed.</summary>
    public const string PermissionsPolicy =
        "accelerometer=(), autoplay=(), bluetooth=(), camera=(), display-capture=(), encrypted-media=(), fullscreen=(), " +
        "geolocation=(), gyroscope=(), hid=(), idle-detection=(), magnetometer=(), microphone=(), midi=(), payment=(), " +
        "picture-in-picture=(), publickey-credentials-get=(), screen-wake-lock=(), serial=(), usb=(), xr-spatial-tracking=()";

    public const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /// <param name="app">The pipeline.</param>
    /// <param name="strictTransportSecurity">
    /// Whether https answers carry HSTS (outside Development). It is set here rather than by the HSTS
    /// middleware, whose header the exception handler would clear from a 500 like the others.
    /// </param>
    /// <param name="signInOrigin">
    /// The sign-in provider's origin (Entra ID), when staff sign in there. A form may lead to it: the
    /// sign-out button (the provider ends its session too), and any form posted after the session
    /// ended (the challenge redirects there). Browsers hold redirects after a form post to
    /// <c>form-action</c>, so without it those forms would stop dead.
    /// </param>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app, bool strictTransportSecurity, string? signInOrigin = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        var contentSecurityPolicy = signInOrigin is null
            ? ContentSecurityPolicy
            : ContentSecurityPolicy.Replace("form-action 'self'", "form-action 'self' " + signInOrigin, StringComparison.Ordinal);
        var hsts = strictTransportSecurity ? StrictTransportSecurity(app.ApplicationServices.GetRequiredService<IOptions<HstsOptions>>().Value) : null;
        return app.Use(async (context, next) =>
        {
            context.Response.OnStarting(state =>
            {
                var response = (HttpResponse)state;
                var headers = response.Headers;
                if (hsts is not null && response.HttpContext.Request.IsHttps && !hsts.Value.ExcludedHosts.Contains(response.HttpContext.Request.Host.Host, StringComparer.OrdinalIgnoreCase))
                {
                    headers.StrictTransportSecurity = hsts.Value.Header;
                }

                SetIfAbsent(headers, "X-Content-Type-Options", "nosniff");
                SetIfAbsent(headers, "X-Frame-Options", "DENY");
                SetIfAbsent(headers, "Content-Security-Policy", contentSecurityPolicy);
                SetIfAbsent(headers, "Referrer-Policy", "no-referrer");
                SetIfAbsent(headers, "Permissions-Policy", PermissionsPolicy);
                // Pages and API answers may show a case: nothing is cached unless an endpoint says otherwise.
                SetIfAbsent(headers, "Cache-Control", "no-store");
                return Task.CompletedTask;
            }, context.Response);
            await next(context);
        });
    }

    private static (string Header, IList<string> ExcludedHosts)? StrictTransportSecurity(HstsOptions options)
    {
        var header = "max-age=" + ((long)options.MaxAge.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture)
            + (options.IncludeSubDomains ? "; includeSubDomains" : string.Empty)
            + (options.Preload ? "; preload" : string.Empty);
        return (header, options.ExcludedHosts);
    }

    private static void SetIfAbsent(IHeaderDictionary headers, string name, string value)
    {
        if (!headers.ContainsKey(name))
        {
            headers[name] = value;
        }
    }
}
