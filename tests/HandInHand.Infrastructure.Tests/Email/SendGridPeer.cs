using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using HandInHand.Infrastructure.Tests.Http;

namespace HandInHand.Infrastructure.Tests.Email;

/// <summary>
/// A small HTTP/1.1 server on 127.0.0.1 standing in for api.sendgrid.com. Every request is checked
/// against the v3 Mail Send contract (<see cref="MailSendContract"/>); a request that breaks it is
/// recorded in <see cref="Violations"/> and answered 400 the way SendGrid would. Otherwise the
/// test's script decides the answer: a status with headers and body, or a broken exchange.
/// </summary>
public sealed class SendGridPeer : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private readonly ConcurrentQueue<string> _violations = new();
    private readonly LoopbackHttpPeer _peer;
    private int _count;

    public SendGridPeer(string apiKey, Func<ReceivedRequest, PeerAnswer> script, TimeProvider? clock = null)
    {
        clock ??= TimeProvider.System;
        _peer = new LoopbackHttpPeer(raw =>
        {
            var request = new ReceivedRequest(raw.Method, raw.Target, [.. raw.Headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value))], raw.Body)
            {
                Connection = raw.Connection,
                Number = Interlocked.Increment(ref _count),
                ArrivedAt = clock.GetUtcNow(),
            };
            _requests.Enqueue(request);
            var problems = MailSendContract.Check(request, apiKey);
            foreach (var problem in problems)
            {
                _violations.Enqueue($"request {request.Number}: {problem}");
            }

            var answer = problems.Count > 0 ? PeerAnswer.SendGridError(400, "contract", string.Join("; ", problems)) : script(request);
            return answer.Kind switch
            {
                PeerAnswerKind.Close => LoopbackAnswer.Close(),
                PeerAnswerKind.Hang => LoopbackAnswer.Hang(),

                // The status line and part of the headers, then the connection ends.
                PeerAnswerKind.Partial => LoopbackAnswer.Partial(Encoding.ASCII.GetBytes("HTTP/1.1 202 Accepted\r\nX-Message-Id: par")),
                _ => LoopbackAnswer.Respond(answer.Serialize()),
            };
        });
        Endpoint = _peer.Address;
    }

    public Uri Endpoint { get; }

    public IReadOnlyList<ReceivedRequest> Requests => [.. _requests];

    /// <summary>Every way a request broke the Mail Send contract; empty when the client behaved.</summary>
    public IReadOnlyList<string> Violations => [.. _violations];

    public int Posts => Requests.Count(r => r.Method == "POST");

    /// <summary>A port nobody listens on: nothing sent there can have been received.</summary>
    public static Uri ClosedEndpoint() => new($"http://127.0.0.1:{LoopbackHttpPeer.ClosedPort()}");

    public ValueTask DisposeAsync() => _peer.DisposeAsync();
}

/// <summary>One request as the peer received it. <c>Number</c> counts requests (1, 2, …), <c>Connection</c> TCP connections.</summary>
public sealed record ReceivedRequest(string Method, string Target, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body)
{
    public int Number { get; init; }

    public int Connection { get; init; }

    public DateTimeOffset ArrivedAt { get; init; }

    public string BodyText => Encoding.UTF8.GetString(Body);

    /// <summary>All values of a header, in order.</summary>
    public IReadOnlyList<string> HeaderValues(string name) =>
        [.. Headers.Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value)];

    public string? Header(string name) => HeaderValues(name) is [var only] ? only : null;
}

public enum PeerAnswerKind
{
    Respond,
    Close,
    Partial,
    Hang,
}

public sealed class PeerAnswer
{
    private PeerAnswer(PeerAnswerKind kind, int status, string? body, IReadOnlyList<(string Name, string Value)> headers)
    {
        Kind = kind;
        Status = status;
        Body = body;
        Headers = headers;
    }

    public PeerAnswerKind Kind { get; }

    public int Status { get; }

    public string? Body { get; }

    public IReadOnlyList<(string Name, string Value)> Headers { get; }

    /// <summary>202 Accepted with SendGrid's message id header, as Mail Send answers a queued message.</summary>
    public static PeerAnswer Accepted(string providerMessageId = "sg-message-1") => new(PeerAnswerKind.Respond, 202, null, [("X-Message-Id", providerMessageId)]);

    public static PeerAnswer Plain(int status, params (string Name, string Value)[] headers) => new(PeerAnswerKind.Respond, status, null, headers);

    public static PeerAnswer Json(int status, string json, params (string Name, string Value)[] headers) =>
        new(PeerAnswerKind.Respond, status, json, [("Content-Type", "application/json"), .. headers]);

    /// <summary>SendGrid's error body: <c>{"errors":[{"message","field","help"}]}</c>.</summary>
    public static PeerAnswer SendGridError(int status, string? field, string message, params (string Name, string Value)[] headers) =>
        Json(status, System.Text.Json.JsonSerializer.Serialize(new { errors = new[] { new { message, field, help = (string?)null } } }), headers);

    /// <summary>429 with SendGrid's rate-limit headers.</summary>
    public static PeerAnswer RateLimited(DateTimeOffset reset) =>
        SendGridError(429, null, "too many requests",
            ("X-RateLimit-Limit", "600"), ("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", reset.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));

    /// <summary>Read the request, then close the connection without a byte of answer.</summary>
    public static PeerAnswer Close() => new(PeerAnswerKind.Close, 0, null, []);

    /// <summary>Read the request, send part of an answer, then close the connection.</summary>
    public static PeerAnswer Partial() => new(PeerAnswerKind.Partial, 0, null, []);

    /// <summary>Read the request and never answer.</summary>
    public static PeerAnswer Hang() => new(PeerAnswerKind.Hang, 0, null, []);

    public byte[] Serialize() => LoopbackHttpPeer.Response(Status, Headers, Body is null ? [] : Encoding.UTF8.GetBytes(Body));
}
