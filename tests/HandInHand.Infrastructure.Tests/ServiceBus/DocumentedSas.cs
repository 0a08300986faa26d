using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace HandInHand.Infrastructure.Tests.ServiceBus;

/// <summary>
/// Checks an Authorization header against the documented SAS format, independently of the client:
/// <c>SharedAccessSignature sr={url-encoded resource}&amp;sig={url-encoded signature}&amp;se={unix expiry}&amp;skn={key name}</c>,
/// signature = Base64(HMAC-SHA256(key = UTF-8 bytes of the key string, UTF-8(sr + "\n" + se))),
/// where sr is the URL-encoded resource URI exactly as it appears in the token.
/// </summary>
public sealed record DocumentedSas(string EncodedResource, string EncodedSignature, long Expiry, string KeyName)
{
    private const string Scheme = "SharedAccessSignature ";

    public string Resource => Uri.UnescapeDataString(EncodedResource);

    public string Signature => Uri.UnescapeDataString(EncodedSignature);

    /// <summary>Parses the header, failing the test if it does not have exactly the four documented fields.</summary>
    public static DocumentedSas Parse(string? authorization)
    {
        Assert.NotNull(authorization);
        Assert.StartsWith(Scheme, authorization, StringComparison.Ordinal);
        var fields = authorization[Scheme.Length..].Split('&').Select(pair => pair.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        Assert.Equal(["se", "sig", "skn", "sr"], fields.Keys.Order(StringComparer.Ordinal));
        return new DocumentedSas(fields["sr"], fields["sig"], long.Parse(fields["se"], NumberStyles.None, CultureInfo.InvariantCulture), fields["skn"]);
    }

    /// <summary>Recomputes the signature from the documented formula and compares.</summary>
    public void AssertSignedWith(string key)
    {
        string stringToSign = EncodedResource + "\n" + Expiry.ToString(CultureInfo.InvariantCulture);
        byte[] expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(stringToSign));
        Assert.Equal(Convert.ToBase64String(expected), Signature);
        // Base64 '+', '/' and '=' must travel percent-encoded.
        Assert.DoesNotContain('+', EncodedSignature);
        Assert.DoesNotContain('/', EncodedSignature);
        Assert.DoesNotContain('=', EncodedSignature);
        Assert.DoesNotContain(':', EncodedResource);
        Assert.DoesNotContain('/', EncodedResource);
    }
}
