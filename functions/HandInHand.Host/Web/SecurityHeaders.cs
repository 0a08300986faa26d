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

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Use(async (context, next) =>
        {
            context.Response.OnStarting(static state =>
            {
                var headers = ((HttpResponse)state).Headers;
                SetIfAbsent(headers, "X-Content-Type-Options", "nosniff");
                SetIfAbsent(headers, "X-Frame-Options", "DENY");
                SetIfAbsent(headers, "Content-Security-Policy", ContentSecurityPolicy);
                SetIfAbsent(headers, "Referrer-Policy", "no-referrer");
                SetIfAbsent(headers, "Permissions-Policy", PermissionsPolicy);
                // Pages and API answers may show a case: nothing is cached unless an endpoint says otherwise.
                SetIfAbsent(headers, "Cache-Control", "no-store");
                return Task.CompletedTask;
            }, context.Response);
            await next(context);
        });
    }

    private static void SetIfAbsent(IHeaderDictionary headers, string name, string value)
    {
        if (!headers.ContainsKey(name))
        {
            headers[name] = value;
        }
    }
}
