using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using HandInHand.Testing.Http;

namespace HandInHand.Infrastructure.Tests.Storage;

/// <summary>
/// A tiny HTTP/1.1 server on a loopback port, used as a test *peer* where Azurite cannot be made
/// to misbehave on cue (503s, 500s, dropped connections, empty continuation pages, TLS for bearer
/// tokens). It records every request and answers each with what the test's handler returns.
/// </summary>
public sealed class LoopbackPeer : IAsyncDisposable
{
    private readonly ConcurrentQueue<PeerRequest> _requests = new();
    private readonly LoopbackHttpPeer _peer;

    public LoopbackPeer(Func<PeerRequest, PeerReply> handler, X509Certificate2? certificate = null)
    {
        _peer = new LoopbackHttpPeer(
            raw =>
            {
                var request = PeerRequest.From(raw);
                _requests.Enqueue(request);
                var reply = handler(request);

                // Closing after the request was fully received: the client cannot know whether it was acted on.
                return reply.CloseWithoutAnswer ? LoopbackAnswer.Close() : LoopbackAnswer.Respond(reply.Serialize());
            },
            certificate);
    }

    public int Port => _peer.Port;

    /// <summary>The table endpoint, path-style like Azurite's.</summary>
    public Uri TableEndpoint => new(_peer.Address, "/devstoreaccount1");

    /// <summary>A SharedKeyLite connection string for the development account pointing here.</summary>
    public string ConnectionString =>
        $"AccountName=devstoreaccount1;AccountKey={DevelopmentKey};TableEndpoint={TableEndpoint}";

    public const string DevelopmentKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    public IReadOnlyList<PeerRequest> Requests => _requests.ToArray();

    public int Count(string method) => Requests.Count(r => r.Method == method);

    public ValueTask DisposeAsync() => _peer.DisposeAsync();
}

/// <summary>One request the peer received; <c>Connection</c> numbers the TCP connection (1, 2, …) that carried it.</summary>
public sealed record PeerRequest(string Method, string Target, IReadOnlyDictionary<string, string> Headers, byte[] Body, int Connection)
{
    public string Path => Uri.UnescapeDataString(Target.Split('?')[0]);

    public string BodyText => Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>A decoded query parameter, or null.</summary>
    public string? Query(string name) => LoopbackRequest.Query(Target, name);

    /// <summary>Repeated headers are joined with ", ", as HTTP allows.</summary>
    internal static PeerRequest From(LoopbackRequest raw)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in raw.Headers)
        {
            headers[name] = headers.TryGetValue(name, out var existing) ? existing + ", " + value : value;
        }

        return new PeerRequest(raw.Method, raw.Target, headers, raw.Body, raw.Connection);
    }
}

public sealed class PeerReply
{
    private PeerReply(int status, string? body, IReadOnlyList<(string Name, string Value)> headers, bool close)
    {
        Status = status;
        Body = body;
        Headers = headers;
        CloseWithoutAnswer = close;
    }

    public int Status { get; }

    public string? Body { get; }

    public IReadOnlyList<(string Name, string Value)> Headers { get; }

    public bool CloseWithoutAnswer { get; }

    /// <summary>Close the connection without answering.</summary>
    public static PeerReply Close() => new(0, null, [], close: true);

    public static PeerReply Empty(int status, params (string Name, string Value)[] headers) => new(status, null, headers, false);

    public static PeerReply Json(int status, string json, params (string Name, string Value)[] headers) =>
        new(status, json, [("Content-Type", "application/json;odata=minimalmetadata;charset=utf-8"), .. headers], false);

    /// <summary>A service error as Table storage sends it: header and OData JSON body.</summary>
    public static PeerReply Error(int status, string code) =>
        Json(status, "{\"odata.error\":{\"code\":\"" + code + "\",\"message\":{\"lang\":\"en-US\",\"value\":\"Simulated " + code + ".\"}}}", ("x-ms-error-code", code));

    public static PeerReply Created(string etag) => Empty(204, ("ETag", etag));

    public byte[] Serialize() => LoopbackHttpPeer.Response(Status, Headers, Body is null ? [] : Encoding.UTF8.GetBytes(Body));
}
