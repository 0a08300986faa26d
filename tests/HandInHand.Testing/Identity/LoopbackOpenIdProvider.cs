using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using HandInHand.Testing.Http;

namespace HandInHand.Testing.Identity;

/// <summary>
/// An OpenID Connect provider on a loopback port over TLS, standing in for Microsoft Entra ID:
/// discovery, signing keys (an RSA key made when it starts), authorize, token and end-session,
/// laid out under <c>/{tenant}/v2.0</c> as Entra lays them out, so that a host configured with
/// <c>Entra:Instance</c> = <see cref="Instance"/> finds it exactly as it would find Entra.
/// The authorize endpoint approves at once, as <see cref="User"/>, whoever asks: the test decides
/// who signs in. Everything a real provider checks that a host could get wrong is checked here too
/// (client id and secret, redirect URI, PKCE, one use per code), and a request that fails a check
/// is answered 400 and recorded in <see cref="Violations"/>.
/// </summary>
public sealed class LoopbackOpenIdProvider : IAsyncDisposable
{
    private readonly LoopbackHttpPeer _peer;
    private readonly RSA _key = RSA.Create(2048);
    private readonly string _keyId = Guid.NewGuid().ToString("N");
    private readonly ConcurrentDictionary<string, Grant> _codes = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _violations = new();
    private readonly TimeProvider _clock;
    private int _authorizations;
    private int _tokens;
    private int _signOuts;

    /// <param name="tenantId">The tenant in the provider's paths and issuer.</param>
    /// <param name="clientId">The one client registered.</param>
    /// <param name="clientSecret">That client's secret.</param>
    /// <param name="certificate">The TLS certificate the provider serves (a host must trust it to read discovery and keys).</param>
    /// <param name="clock">The time written into tokens; the real time unless a test says otherwise.</param>
    public LoopbackOpenIdProvider(string tenantId, string clientId, string clientSecret, X509Certificate2 certificate, TimeProvider? clock = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        ArgumentException.ThrowIfNullOrWhiteSpace(clientId);
        ArgumentException.ThrowIfNullOrWhiteSpace(clientSecret);
        ArgumentNullException.ThrowIfNull(certificate);
        TenantId = tenantId;
        ClientId = clientId;
        ClientSecret = clientSecret;
        _clock = clock ?? TimeProvider.System;
        _peer = new LoopbackHttpPeer(Answer, certificate);
    }

    public string TenantId { get; }

    public string ClientId { get; }

    public string ClientSecret { get; }

    /// <summary>The value for the host's <c>Entra:Instance</c>: the provider's base address with a trailing slash.</summary>
    public string Instance => _peer.Address.ToString();

    /// <summary>The issuer of its tokens, as Entra's v2.0 endpoint names it.</summary>
    public string Issuer => $"{_peer.Address.ToString().TrimEnd('/')}/{TenantId}/v2.0";

    /// <summary>Who the authorize endpoint signs in: an object id and app roles. Set it before the browser gets there.</summary>
    public ProviderUser User { get; set; } = new("00000000-0000-0000-0000-000000000001", []);

    /// <summary>Where the host may send a browser back to, after sign-in and after sign-out (its origin); null accepts none.</summary>
    public Uri? ClientOrigin { get; set; }

    /// <summary>How many authorize requests came (each one a sign-in the host asked for).</summary>
    public int Authorizations => Volatile.Read(ref _authorizations);

    /// <summary>How many codes were exchanged for tokens.</summary>
    public int TokensIssued => Volatile.Read(ref _tokens);

    /// <summary>How many end-session requests came.</summary>
    public int SignOuts => Volatile.Read(ref _signOuts);

    /// <summary>Every request that broke the protocol, and why.</summary>
    public IReadOnlyList<string> Violations => [.. _violations];

    public async ValueTask DisposeAsync()
    {
        await _peer.DisposeAsync();
        _key.Dispose();
    }

    private LoopbackAnswer Answer(LoopbackRequest request)
    {
        var path = request.Target.Split('?')[0];
        var prefix = $"/{TenantId}/v2.0";
        return (request.Method, path) switch
        {
            ("GET", var p) when p == prefix + "/.well-known/openid-configuration" => Json(200, Discovery()),
            ("GET", var p) when p == prefix + "/discovery/keys" => Json(200, Keys()),
            ("GET", var p) when p == prefix + "/oauth2/authorize" => Authorize(request),
            ("POST", var p) when p == prefix + "/oauth2/token" => Token(request),
            ("GET", var p) when p == prefix + "/oauth2/logout" => EndSession(request),
            // A browser asks every origin for its icon: not a protocol error.
            ("GET", "/favicon.ico") => LoopbackAnswer.Respond(LoopbackHttpPeer.Response(404, [], [])),
            _ => Refuse(404, "not_found", $"{request.Method} {path} is not an endpoint of this provider"),
        };
    }

    private Dictionary<string, object> Discovery() => new()
    {
        ["issuer"] = Issuer,
        ["authorization_endpoint"] = Issuer + "/oauth2/authorize",
        ["token_endpoint"] = Issuer + "/oauth2/token",
        ["end_session_endpoint"] = Issuer + "/oauth2/logout",
        ["jwks_uri"] = Issuer + "/discovery/keys",
        ["response_types_supported"] = new[] { "code" },
        ["response_modes_supported"] = new[] { "query", "form_post" },
        ["subject_types_supported"] = new[] { "pairwise" },
        ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        ["scopes_supported"] = new[] { "openid", "profile" },
        ["token_endpoint_auth_methods_supported"] = new[] { "client_secret_post", "client_secret_basic" },
        ["code_challenge_methods_supported"] = new[] { "S256" },
    };

    private object Keys()
    {
        var parameters = _key.ExportParameters(includePrivateParameters: false);
        return new
        {
            keys = new[]
            {
                new { kty = "RSA", use = "sig", alg = "RS256", kid = _keyId, n = Base64Url(parameters.Modulus!), e = Base64Url(parameters.Exponent!) },
            },
        };
    }

    private LoopbackAnswer Authorize(LoopbackRequest request)
    {
        Interlocked.Increment(ref _authorizations);
        string? Query(string name) => LoopbackRequest.Query(request.Target, name);
        var redirectUri = Query("redirect_uri");
        if (Query("client_id") != ClientId)
        {
            return Refuse(400, "invalid_client", "authorize: unknown client_id");
        }

        if (!IsClientAddress(redirectUri))
        {
            return Refuse(400, "invalid_request", "authorize: redirect_uri is not the client's");
        }

        if (Query("response_type") != "code" || !(Query("scope") ?? string.Empty).Split(' ').Contains("openid"))
        {
            return Refuse(400, "unsupported_response_type", "authorize: only the code flow with the openid scope");
        }

        if (Query("code_challenge_method") != "S256" || string.IsNullOrEmpty(Query("code_challenge")) || string.IsNullOrEmpty(Query("nonce")) || string.IsNullOrEmpty(Query("state")))
        {
            return Refuse(400, "invalid_request", "authorize: PKCE (S256), a nonce and a state are required");
        }

        var code = Base64Url(RandomNumberGenerator.GetBytes(32));
        _codes[code] = new Grant(redirectUri!, Query("code_challenge")!, Query("nonce")!, User);
        var state = Query("state")!;
        if (Query("response_mode") == "form_post")
        {
            // As Entra does: a page that posts the code back at once. With script off, a button does it.
            var html = $"""
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><title>Signing in</title></head>
                <body onload="document.forms[0].submit()">
                <form method="post" action="{WebUtility.HtmlEncode(redirectUri)}">
                <input type="hidden" name="code" value="{WebUtility.HtmlEncode(code)}">
                <input type="hidden" name="state" value="{WebUtility.HtmlEncode(state)}">
                <noscript><button type="submit">Continue</button></noscript>
                </form>
                </body></html>
                """;
            return LoopbackAnswer.Respond(LoopbackHttpPeer.Response(200, [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store")], Encoding.UTF8.GetBytes(html)));
        }

        var location = $"{redirectUri}{(redirectUri!.Contains('?', StringComparison.Ordinal) ? '&' : '?')}code={Uri.EscapeDataString(code)}&state={Uri.EscapeDataString(state)}";
        return Redirect(location);
    }

    private LoopbackAnswer Token(LoopbackRequest request)
    {
        var form = ParseForm(Encoding.UTF8.GetString(request.Body));
        var (clientId, clientSecret) = ClientCredentials(request, form);
        if (clientId != ClientId || clientSecret != ClientSecret)
        {
            return Refuse(401, "invalid_client", "token: wrong client id or secret");
        }

        if (form.GetValueOrDefault("grant_type") != "authorization_code" || form.GetValueOrDefault("code") is not { } code || !_codes.TryRemove(code, out var grant))
        {
            return Refuse(400, "invalid_grant", "token: the code is unknown or was used already");
        }

        if (form.GetValueOrDefault("redirect_uri") != grant.RedirectUri)
        {
            return Refuse(400, "invalid_grant", "token: redirect_uri differs from the authorize request's");
        }

        var verifier = form.GetValueOrDefault("code_verifier") ?? string.Empty;
        if (Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))) != grant.CodeChallenge)
        {
            return Refuse(400, "invalid_grant", "token: the PKCE code_verifier does not match");
        }

        Interlocked.Increment(ref _tokens);
        var now = _clock.GetUtcNow().ToUnixTimeSeconds();
        var claims = new Dictionary<string, object>
        {
            ["iss"] = Issuer,
            ["aud"] = ClientId,
            ["sub"] = grant.User.ObjectId,
            ["oid"] = grant.User.ObjectId,
            ["tid"] = TenantId,
            ["nonce"] = grant.Nonce,
            ["roles"] = grant.User.Roles,
            ["iat"] = now,
            ["nbf"] = now,
            ["exp"] = now + 3600,
        };
        return Json(200, new
        {
            token_type = "Bearer",
            expires_in = 3600,
            access_token = Base64Url(RandomNumberGenerator.GetBytes(32)),
            id_token = Sign(claims),
        });
    }

    private LoopbackAnswer EndSession(LoopbackRequest request)
    {
        Interlocked.Increment(ref _signOuts);
        var back = LoopbackRequest.Query(request.Target, "post_logout_redirect_uri");
        if (back is null)
        {
            var page = Encoding.UTF8.GetBytes("<!doctype html><html lang=\"en\"><head><title>Signed out</title></head><body><p>Signed out.</p></body></html>");
            return LoopbackAnswer.Respond(LoopbackHttpPeer.Response(200, [("Content-Type", "text/html; charset=utf-8")], page));
        }

        if (!IsClientAddress(back))
        {
            return Refuse(400, "invalid_request", "logout: post_logout_redirect_uri is not the client's");
        }

        var state = LoopbackRequest.Query(request.Target, "state");
        return Redirect(state is null ? back : $"{back}{(back.Contains('?', StringComparison.Ordinal) ? '&' : '?')}state={Uri.EscapeDataString(state)}");
    }

    private bool IsClientAddress(string? uri) =>
        ClientOrigin is not null && Uri.TryCreate(uri, UriKind.Absolute, out var parsed)
        && string.Equals(parsed.GetLeftPart(UriPartial.Authority), ClientOrigin.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase);

    private string Sign(Dictionary<string, object> claims)
    {
        var header = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new { alg = "RS256", typ = "JWT", kid = _keyId }));
        var payload = Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signature = _key.SignData(Encoding.ASCII.GetBytes(header + "." + payload), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return header + "." + payload + "." + Base64Url(signature);
    }

    private static (string? Id, string? Secret) ClientCredentials(LoopbackRequest request, Dictionary<string, string> form)
    {
        if (request.HeaderValues("Authorization") is [var authorization, ..] && authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..].Trim())).Split(':', 2);
            return (Uri.UnescapeDataString(pair[0]), pair.Length > 1 ? Uri.UnescapeDataString(pair[1]) : null);
        }

        return (form.GetValueOrDefault("client_id"), form.GetValueOrDefault("client_secret"));
    }

    private static Dictionary<string, string> ParseForm(string body) =>
        body.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(p => Decode(p[0]), p => p.Length > 1 ? Decode(p[1]) : string.Empty, StringComparer.Ordinal);

    private static string Decode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));

    private LoopbackAnswer Refuse(int status, string error, string why)
    {
        _violations.Enqueue(why);
        return Json(status, new { error, error_description = why });
    }

    private static LoopbackAnswer Redirect(string location) =>
        LoopbackAnswer.Respond(LoopbackHttpPeer.Response(302, [("Location", location), ("Cache-Control", "no-store")], []));

    private static LoopbackAnswer Json(int status, object body) =>
        LoopbackAnswer.Respond(LoopbackHttpPeer.Response(status, [("Content-Type", "application/json"), ("Cache-Control", "no-store")], JsonSerializer.SerializeToUtf8Bytes(body)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private sealed record Grant(string RedirectUri, string CodeChallenge, string Nonce, ProviderUser User);
}
