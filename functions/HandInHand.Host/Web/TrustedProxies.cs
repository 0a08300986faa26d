using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace HandInHand.Host.Web;

/// <summary>
/// Forwarded headers from trusted proxies only (<see cref="TrustedProxyOptions"/>). The client
/// address they give is what the public rate limits partition on, and the scheme is what HSTS,
/// secure cookies and sign-in redirect URIs see. <c>X-Forwarded-Host</c> is never honoured: the
/// host a caller names must not choose where the app's own links point.
/// </summary>
public static class TrustedProxies
{
    public static IServiceCollection AddTrustedProxies(this IServiceCollection services, IConfiguration config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var settings = config.GetSection(TrustedProxyOptions.SectionName).Get<TrustedProxyOptions>() ?? new TrustedProxyOptions();
        var proxies = settings.KnownProxies.Select((text, i) => IPAddress.TryParse(text, out var address)
            ? address
            : throw new InvalidOperationException(Invalid("KnownProxies", i, "an IP address"))).ToList();
        var networks = settings.KnownNetworks.Select((text, i) => System.Net.IPNetwork.TryParse(text, out var network)
            ? network
            : throw new InvalidOperationException(Invalid("KnownNetworks", i, "a network in CIDR form"))).ToList();
        if (settings.ForwardLimit < 1)
        {
            throw new InvalidOperationException("ForwardedHeaders:ForwardLimit must be at least 1.");
        }

        // PostConfigure, so that this wins over ASP.NET Core's own setup (ASPNETCORE_FORWARDEDHEADERS_ENABLED
        // clears the lists and trusts everyone). With no trusted proxy the middleware reads no header at
        // all: with empty lists it would otherwise believe any peer.
        services.PostConfigure<ForwardedHeadersOptions>(o =>
        {
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in proxies)
            {
                o.KnownProxies.Add(proxy);
            }

            foreach (var network in networks)
            {
                o.KnownIPNetworks.Add(network);
            }

            o.ForwardLimit = settings.ForwardLimit;
            o.ForwardedHeaders = proxies.Count + networks.Count > 0
                ? ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto
                : ForwardedHeaders.None;
        });
        return services;
    }

    // The message names the setting, not its value.
    private static string Invalid(string list, int index, string what) =>
        string.Create(CultureInfo.InvariantCulture, $"ForwardedHeaders:{list}:{index} is not {what}.");
}
