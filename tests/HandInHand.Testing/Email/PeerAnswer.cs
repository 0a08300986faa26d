using System.Globalization;
using System.Text;
using HandInHand.Testing.Http;

namespace HandInHand.Testing.Email;

/// <summary>What the SendGrid peer answers to one request: built by the test's script.</summary>
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
