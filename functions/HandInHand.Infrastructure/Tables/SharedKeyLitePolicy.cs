using System.Security.Cryptography;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;

namespace HandInHand.Infrastructure.Tables;

/// <summary>
/// Signs each attempt with SharedKeyLite for the Table service:
/// <c>StringToSign = x-ms-date + "\n" + "/" + account + encoded path [+ "?comp=" + value]</c>,
/// signature = Base64(HMAC-SHA256(account key, UTF-8(StringToSign))).
/// Must run after <see cref="TableHeadersPolicy"/> has set <c>x-ms-date</c>.
/// </summary>
internal sealed class SharedKeyLitePolicy(string accountName, byte[] accountKey) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        var request = message.Request;
        if (!request.Headers.TryGetValue(TableHeadersPolicy.DateHeader, out var date))
        {
            throw new InvalidOperationException("x-ms-date must be set before the request is signed.");
        }

        string stringToSign = date + "\n" + CanonicalizedResource(accountName, request.Uri.ToUri());
        byte[] signature = HMACSHA256.HashData(accountKey, Encoding.UTF8.GetBytes(stringToSign));
        request.Headers.SetValue(HttpHeader.Names.Authorization, $"SharedKeyLite {accountName}:{Convert.ToBase64String(signature)}");
    }

    internal static string CanonicalizedResource(string accountName, Uri uri)
    {
        // AbsolutePath is the path exactly as it goes on the wire (still percent-encoded).
        var resource = new StringBuilder("/").Append(accountName).Append(uri.AbsolutePath);
        string query = uri.Query;
        if (query.Length > 1)
        {
            foreach (string pair in query[1..].Split('&'))
            {
                if (pair.StartsWith("comp=", StringComparison.OrdinalIgnoreCase))
                {
                    resource.Append("?comp=").Append(Uri.UnescapeDataString(pair["comp=".Length..]));
                    break;
                }
            }
        }

        return resource.ToString();
    }
}
