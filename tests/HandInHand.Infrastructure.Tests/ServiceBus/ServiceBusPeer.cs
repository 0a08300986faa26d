using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using HandInHand.Infrastructure.Tests.Http;

namespace HandInHand.Infrastructure.Tests.ServiceBus;

/// <summary>
/// A small HTTP/1.1 server on a loopback port standing in for the Service Bus REST endpoint: a real
/// peer over real sockets (optionally TLS), not a mock of our code. It records every request it reads
/// in full and answers each with what the test's script returns — including 503s, dropped connections
/// and peek-locked messages — so the client's requests can be checked against the REST reference.
/// </summary>
public sealed class ServiceBusPeer : IAsyncDisposable
{
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly LoopbackHttpPeer _peer;

    public ServiceBusPeer(Func<RecordedRequest, ScriptedReply> script, X509Certificate2? certificate = null)
    {
        _peer = new LoopbackHttpPeer(
            raw =>
            {
                var request = new RecordedRequest(raw.Method, raw.Target, raw.Headers, raw.Body, raw.Connection, DateTimeOffset.UtcNow);
                _requests.Enqueue(request);
                var reply = script(request);

                // A dropped connection is reset: the whole request arrived, so the client cannot know whether it was acted on.
                return reply.DropConnection ? LoopbackAnswer.Reset() : LoopbackAnswer.Respond(reply.Serialize());
            },
            certificate);
    }

    /// <summary>Answers every request with the same reply.</summary>
    public ServiceBusPeer(ScriptedReply reply)
        : this(_ => reply)
    {
    }

    /// <summary>Where the client under test should send its requests.</summary>
    public Uri Address => _peer.Address;

    public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();

    public ValueTask DisposeAsync() => _peer.DisposeAsync();
}

/// <summary>One request as it arrived on the wire. <c>Connection</c> numbers the TCP connection (1, 2, …).</summary>
public sealed record RecordedRequest(
    string Method, string Target, IReadOnlyList<(string Name, string Value)> HeaderList, byte[] Body, int Connection, DateTimeOffset ReceivedAt)
{
    /// <summary>The path exactly as sent (still percent-encoded).</summary>
    public string Path => Target.Split('?')[0];

    public string BodyText => Encoding.UTF8.GetString(Body);

    /// <summary>The single value of a header; fails the test if it was sent more than once.</summary>
    public string? Header(string name)
    {
        var values = HeaderList.Where(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToList();
        Assert.True(values.Count <= 1, $"The header {name} was sent {values.Count} times.");
        return values.SingleOrDefault();
    }

    /// <summary>A decoded query parameter, or null.</summary>
    public string? Query(string name) => LoopbackRequest.Query(Target, name);
}

/// <summary>What the peer answers.</summary>
public sealed class ScriptedReply
{
    private ScriptedReply(int status, byte[] body, IReadOnlyList<(string Name, string Value)> headers, bool drop)
    {
        Status = status;
        Body = body;
        Headers = headers;
        DropConnection = drop;
    }

    public int Status { get; }

    public byte[] Body { get; }

    public IReadOnlyList<(string Name, string Value)> Headers { get; }

    public bool DropConnection { get; }

    /// <summary>Close the connection (with a reset) without answering.</summary>
    public static ScriptedReply Drop() => new(0, [], [], drop: true);

    /// <summary>201 Created with an empty body, as Send Message answers.</summary>
    public static ScriptedReply Created() => Empty(201);

    public static ScriptedReply Empty(int status, params (string Name, string Value)[] headers) =>
        new(status, [], headers, false);

    /// <summary>An error as Service Bus words it: an XML body with the code and a detail that the client must not echo.</summary>
    public static ScriptedReply Error(int status, string detail) =>
        new(status, Encoding.UTF8.GetBytes($"<Error><Code>{status}</Code><Detail>{detail}</Detail></Error>"), [("Content-Type", "application/xml; charset=utf-8")], false);

    public static ScriptedReply Message(int status, string body, params (string Name, string Value)[] headers) =>
        new(status, Encoding.UTF8.GetBytes(body), headers, false);

    public byte[] Serialize() => LoopbackHttpPeer.Response(Status, Headers, Body);
}
