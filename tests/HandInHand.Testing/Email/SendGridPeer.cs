using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using HandInHand.Testing.Http;

namespace HandInHand.Testing.Email;

/// <summary>
/// A small HTTP/1.1 server on 127.0.0.1 standing in for api.sendgrid.com. Every request is checked
/// against the v3 Mail Send contract (<see cref="MailSendContract"/>); a request that breaks it is
/// recorded in <see cref="Violations"/> and answered 400 the way SendGrid would. Otherwise the
/// test's script decides the answer: a status with headers and body, or a broken exchange.
/// Every message it accepted (answered 2xx) is kept by our message id (<c>custom_args.hih_message_id</c>),
/// so that a checker can tell an email delivered once from one delivered twice or never.
/// </summary>
public sealed class SendGridPeer : IAsyncDisposable
{
    /// <summary>The API key of a peer started by <see cref="StartAsync"/>; a host under test is given it.</summary>
    public const string ApiKey = "SG.fault-harness-key";

    // The custom argument our SendGrid client puts our message id in.
    private const string MessageIdArgument = "hih_message_id";

    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private readonly ConcurrentQueue<string> _violations = new();
    private readonly ConcurrentQueue<string> _bodies = new();
    private readonly ConcurrentDictionary<string, int> _received = new(StringComparer.Ordinal);
    private readonly LoopbackHttpPeer _peer;
    private int _count;

    public SendGridPeer(string apiKey, Func<ReceivedRequest, PeerAnswer> script, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(script);
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
            if (answer.Kind == PeerAnswerKind.Respond && answer.Status is >= 200 and < 300)
            {
                Accept(request);
            }

            return answer.Kind switch
            {
                PeerAnswerKind.Close => LoopbackAnswer.Close(),
                PeerAnswerKind.Hang => LoopbackAnswer.Hang(),

                // The status line and part of the headers, then the connection ends.
                PeerAnswerKind.Partial => LoopbackAnswer.Partial(Encoding.ASCII.GetBytes("HTTP/1.1 202 Accepted\r\nX-Message-Id: par")),
                _ => LoopbackAnswer.Respond(answer.Serialize()),
            };
        });
        Address = _peer.Address;
    }

    /// <summary>The peer's base address, <c>http://127.0.0.1:port</c>: what the client is given as SendGrid's endpoint.</summary>
    public Uri Address { get; }

    public IReadOnlyList<ReceivedRequest> Requests => [.. _requests];

    /// <summary>Every way a request broke the Mail Send contract; empty when the client behaved.</summary>
    public IReadOnlyList<string> Violations => [.. _violations];

    public int Posts => Requests.Count(r => r.Method == "POST");

    /// <summary>Message id → how many times a message with it was accepted.</summary>
    public IReadOnlyDictionary<string, int> Received => _received;

    /// <summary>Every request body it accepted, as sent.</summary>
    public IReadOnlyCollection<string> Bodies => _bodies;

    /// <summary>
    /// A peer with <see cref="ApiKey"/> that accepts every message keeping to the contract, as Mail Send
    /// does (202, no body). A message without our message id is answered 500: the harness needs the id
    /// to count deliveries, so its absence must fail loudly rather than go uncounted.
    /// </summary>
    public static Task<SendGridPeer> StartAsync() =>
        Task.FromResult(new SendGridPeer(ApiKey, r => MessageIdOf(r) is null ? PeerAnswer.Plain(500) : PeerAnswer.Plain(202)));

    /// <summary>A port nobody listens on: nothing sent there can have been received.</summary>
    public static Uri ClosedEndpoint() => new($"http://127.0.0.1:{LoopbackHttpPeer.ClosedPort()}");

    public ValueTask DisposeAsync() => _peer.DisposeAsync();

    private void Accept(ReceivedRequest request)
    {
        _bodies.Enqueue(request.BodyText);
        if (MessageIdOf(request) is { } messageId)
        {
            _received.AddOrUpdate(messageId, 1, (_, n) => n + 1);
        }
    }

    /// <summary>Our message id in the first personalization's custom arguments, or null when the body has none.</summary>
    private static string? MessageIdOf(ReceivedRequest request)
    {
        try
        {
            using var body = JsonDocument.Parse(request.Body);
            return body.RootElement.ValueKind == JsonValueKind.Object
                && body.RootElement.TryGetProperty("personalizations", out var personalizations)
                && personalizations.ValueKind == JsonValueKind.Array
                && personalizations.GetArrayLength() > 0
                && personalizations[0].ValueKind == JsonValueKind.Object
                && personalizations[0].TryGetProperty("custom_args", out var arguments)
                && arguments.ValueKind == JsonValueKind.Object
                && arguments.TryGetProperty(MessageIdArgument, out var id)
                && id.ValueKind == JsonValueKind.String
                ? id.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
