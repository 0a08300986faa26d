using Microsoft.AspNetCore.Http.Features;

namespace HandInHand.Functions.Hosting;

/// <summary>
/// What the app's pipeline is given of a request the worker's server received: the features a
/// server provides (the request, the response and its body, the connection, TLS, lifetime), and
/// nothing the worker's own request handling added on top — its services, user, items, endpoint
/// and route values. The app's request starts as it would on its own server: its own services
/// scope, no user until its authentication says so, and its own routing.
/// </summary>
public static class ServerFeatures
{
    /// <summary>The server-level features, passed through as they are.</summary>
    public static readonly IReadOnlySet<Type> PassedThrough = new HashSet<Type>
    {
        typeof(IHttpRequestFeature),
        typeof(IHttpResponseFeature),
        typeof(IHttpResponseBodyFeature),
        typeof(IHttpConnectionFeature),
        typeof(IHttpRequestIdentifierFeature),
        typeof(IHttpRequestLifetimeFeature),
        typeof(ITlsConnectionFeature),
        typeof(IHttpMaxRequestBodySizeFeature),
        typeof(IHttpRequestBodyDetectionFeature),
        typeof(IHttpBodyControlFeature),
        typeof(IHttpRequestTrailersFeature),
        typeof(IHttpResetFeature),
        typeof(IHttpUpgradeFeature),
    };

    /// <summary>A new feature collection holding only the server-level features of <paramref name="received"/>.</summary>
    public static IFeatureCollection Of(IFeatureCollection received)
    {
        ArgumentNullException.ThrowIfNull(received);
        var features = new FeatureCollection();
        foreach (var (type, feature) in received)
        {
            if (PassedThrough.Contains(type))
            {
                features[type] = feature;
            }
        }
        return features;
    }
}
