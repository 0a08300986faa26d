namespace HandInHand.Host.Web;

/// <summary>
/// Which peers may tell the app who the client is (<c>X-Forwarded-For</c>) and whether it used
/// https (<c>X-Forwarded-Proto</c>). Nothing is trusted unless named here. In Azure the one peer
/// is the Functions host, which hands each request to the app over loopback with the front end's
/// headers (the template names 127.0.0.1).
/// </summary>
public sealed class TrustedProxyOptions
{
    public const string SectionName = "ForwardedHeaders";

    /// <summary>Addresses of trusted proxies (e.g. <c>127.0.0.1</c>).</summary>
    public IList<string> KnownProxies { get; set; } = [];

    /// <summary>Networks of trusted proxies in CIDR form (e.g. <c>10.0.0.0/8</c>).</summary>
    public IList<string> KnownNetworks { get; set; } = [];

    /// <summary>
    /// How many <c>X-Forwarded-For</c> entries to take, from the right. Azure's front end appends
    /// the address it saw to whatever the client sent, so one entry is the real client and anything
    /// to its left is the client's own claim.
    /// </summary>
    public int ForwardLimit { get; set; } = 1;
}
