using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;

namespace HandInHand.Infrastructure.ServiceBus;

/// <summary>
/// Authorises each attempt with a Service Bus shared access signature:
/// <c>SharedAccessSignature sr={UrlEncode(resource)}&amp;sig={UrlEncode(signature)}&amp;se={expiry}&amp;skn={keyName}</c>,
/// where signature = Base64(HMAC-SHA256(key = UTF-8 bytes of the key string, UTF-8(UrlEncode(resource) + "\n" + expiry)))
/// and expiry is in Unix seconds. The token is cached and renewed a margin before it expires.
/// </summary>
internal sealed class SharedAccessSignaturePolicy : HttpPipelineSynchronousPolicy
{
    private static readonly TimeSpan LongestRenewalMargin = TimeSpan.FromMinutes(5);

    private readonly string _encodedResource;
    private readonly string _encodedKeyName;
    private readonly byte[] _key;
    private readonly TimeSpan _lifetime;
    private readonly TimeProvider _clock;
    private volatile CachedToken? _current;

    /// <param name="resource">The resource the token claims, e.g. <c>https://ns.servicebus.windows.net/queue</c>.</param>
    internal SharedAccessSignaturePolicy(string resource, string keyName, string key, TimeSpan lifetime, TimeProvider clock)
    {
        _encodedResource = WebUtility.UrlEncode(resource);
        _encodedKeyName = WebUtility.UrlEncode(keyName);
        _key = Encoding.UTF8.GetBytes(key);
        _lifetime = lifetime;
        _clock = clock;
    }

    public override void OnSendingRequest(HttpMessage message) =>
        message.Request.Headers.SetValue(HttpHeader.Names.Authorization, CurrentToken());

    private string CurrentToken()
    {
        var now = _clock.GetUtcNow();
        var cached = _current;
        if (cached is not null && now < cached.RenewAt)
        {
            return cached.Value;
        }

        // Two threads may both renew; each gets a valid token and the last one is kept.
        var created = Create(now);
        _current = created;
        return created.Value;
    }

    private CachedToken Create(DateTimeOffset now)
    {
        long expiry = now.ToUnixTimeSeconds() + (long)_lifetime.TotalSeconds;
        string expiryText = expiry.ToString(CultureInfo.InvariantCulture);
        byte[] signature = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(_encodedResource + "\n" + expiryText));
        string token = "SharedAccessSignature sr=" + _encodedResource
            + "&sig=" + WebUtility.UrlEncode(Convert.ToBase64String(signature))
            + "&se=" + expiryText
            + "&skn=" + _encodedKeyName;
        var margin = _lifetime / 2 < LongestRenewalMargin ? _lifetime / 2 : LongestRenewalMargin;
        return new CachedToken(token, DateTimeOffset.FromUnixTimeSeconds(expiry) - margin);
    }

    private sealed record CachedToken(string Value, DateTimeOffset RenewAt)
    {
        // Keep the token out of any accidental ToString.
        public override string ToString() => "SharedAccessSignature (redacted)";
    }
}
