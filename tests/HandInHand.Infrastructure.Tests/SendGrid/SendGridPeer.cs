using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace HandInHand.Infrastructure.Tests.SendGrid;

/// <summary>
/// A small HTTP/1.1 server on 127.0.0.1 standing in for api.sendgrid.com. Every request is checked
/// against the v3 Mail Send contract (<see cref="MailSendContract"/>); a request that breaks it is
/// recorded in <see cref="Violations"/> and answered 400 the way SendGrid would. Otherwise the
/// test's script decides the answer: a status with headers and body, or a broken exchange.
/// </summary>
public sealed class SendGridPeer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly Func<ReceivedRequest, PeerAnswer> _script;
    private readonly string _apiKey;
    private readonly TimeProvider _clock;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private readonly ConcurrentQueue<string> _violations = new();
    private readonly Task _accepting;
    private int _connections;
    private int _count;

    public SendGridPeer(string apiKey, Func<ReceivedRequest, PeerAnswer> script, TimeProvider? clock = null)
    {
        _apiKey = apiKey;
        _script = script;
        _clock = clock ?? TimeProvider.System;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Endpoint = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");
        _accepting = AcceptAsync();
    }

    public Uri Endpoint { get; }

    public IReadOnlyList<ReceivedRequest> Requests => [.. _requests];

    /// <summary>Every way a request broke the Mail Send contract; empty when the client behaved.</summary>
    public IReadOnlyList<string> Violations => [.. _violations];

    public int Posts => Requests.Count(r => r.Method == "POST");

    /// <summary>A port nobody listens on: nothing sent there can have been received.</summary>
    public static Uri ClosedEndpoint()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        int connection = Interlocked.Increment(ref _connections);
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var reader = new HttpRequestReader(stream);
                while (await reader.ReadAsync(_stop.Token) is { } raw)
                {
                    var request = raw with { Connection = connection, Number = Interlocked.Increment(ref _count), ArrivedAt = _clock.GetUtcNow() };
                    _requests.Enqueue(request);
                    var problems = MailSendContract.Check(request, _apiKey);
                    foreach (var problem in problems)
                    {
                        _violations.Enqueue($"request {request.Number}: {problem}");
                    }

                    var answer = problems.Count > 0 ? PeerAnswer.SendGridError(400, "contract", string.Join("; ", problems)) : _script(request);
                    switch (answer.Kind)
                    {
                        case PeerAnswerKind.Close:
                            return;
                        case PeerAnswerKind.Hang:
                            await Task.Delay(Timeout.Infinite, _stop.Token);
                            return;
                        case PeerAnswerKind.Partial:
                            // The status line and part of the headers, then the connection ends.
                            await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 202 Accepted\r\nX-Message-Id: par"), _stop.Token);
                            await stream.FlushAsync(_stop.Token);
                            client.Client.Shutdown(SocketShutdown.Both);
                            return;
                        default:
                            await stream.WriteAsync(answer.Serialize(), _stop.Token);
                            await stream.FlushAsync(_stop.Token);
                            break;
                    }
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // The client went away or the peer is stopping.
            }
        }
    }

    private sealed class HttpRequestReader(Stream stream)
    {
        private byte[] _buffer = new byte[64 * 1024];
        private int _start;
        private int _end;

        public async Task<ReceivedRequest?> ReadAsync(CancellationToken cancellationToken)
        {
            string? requestLine = await ReadLineAsync(cancellationToken);
            if (string.IsNullOrEmpty(requestLine))
            {
                return null;
            }

            string[] parts = requestLine.Split(' ');
            var headers = new List<KeyValuePair<string, string>>();
            while (await ReadLineAsync(cancellationToken) is { Length: > 0 } line)
            {
                int colon = line.IndexOf(':', StringComparison.Ordinal);
                headers.Add(new(line[..colon].Trim(), line[(colon + 1)..].Trim()));
            }

            string? length = headers.FirstOrDefault(h => h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)).Value;
            string? encoding = headers.FirstOrDefault(h => h.Key.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)).Value;
            byte[] body;
            if (length is not null)
            {
                body = await ReadExactAsync(int.Parse(length, CultureInfo.InvariantCulture), cancellationToken);
            }
            else if (encoding is not null && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
            {
                using var collected = new MemoryStream();
                while (true)
                {
                    string size = (await ReadLineAsync(cancellationToken))!.Split(';')[0];
                    int count = int.Parse(size, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                    if (count == 0)
                    {
                        await ReadLineAsync(cancellationToken);
                        break;
                    }

                    collected.Write(await ReadExactAsync(count, cancellationToken));
                    await ReadLineAsync(cancellationToken);
                }

                body = collected.ToArray();
            }
            else
            {
                body = [];
            }

            return new ReceivedRequest(parts[0], parts[1], headers, body);
        }

        private async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                int index = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8);
                if (index >= 0)
                {
                    string line = Encoding.UTF8.GetString(_buffer, _start, index);
                    _start += index + 2;
                    return line;
                }

                if (!await FillAsync(cancellationToken))
                {
                    return null;
                }
            }
        }

        private async Task<byte[]> ReadExactAsync(int count, CancellationToken cancellationToken)
        {
            while (_end - _start < count)
            {
                if (!await FillAsync(cancellationToken))
                {
                    throw new EndOfStreamException();
                }
            }

            byte[] result = _buffer.AsSpan(_start, count).ToArray();
            _start += count;
            return result;
        }

        private async Task<bool> FillAsync(CancellationToken cancellationToken)
        {
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            int read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
            _end += read;
            return read > 0;
        }
    }
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

    public byte[] Serialize()
    {
        byte[] body = Body is null ? [] : Encoding.UTF8.GetBytes(Body);
        var head = new StringBuilder().Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {Status} {(Status < 400 ? "OK" : "Error")}\r\n");
        foreach (var (name, value) in Headers)
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        head.Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n\r\n");
        return [.. Encoding.ASCII.GetBytes(head.ToString()), .. body];
    }
}
