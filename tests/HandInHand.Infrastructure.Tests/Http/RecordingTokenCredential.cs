using System.Collections.Concurrent;
using Azure.Core;

namespace HandInHand.Infrastructure.Tests.Http;

/// <summary>A credential that hands out a fixed token and remembers the scopes it was asked for.</summary>
public sealed class RecordingTokenCredential(string token) : TokenCredential
{
    private readonly ConcurrentQueue<string> _scopes = new();

    public IReadOnlyCollection<string> RequestedScopes => _scopes.ToArray();

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        foreach (string scope in requestContext.Scopes)
        {
            _scopes.Enqueue(scope);
        }

        return new AccessToken(token, DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        new(GetToken(requestContext, cancellationToken));
}
