using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace HandInHand.Infrastructure.Tests.Tables;

/// <summary>
/// A tiny HTTP/1.1 server on a loopback port, used as a test *peer* where Azurite cannot be made
/// to misbehave on cue (503s, 500s, dropped connections, empty continuation pages, TLS for bearer
/// tokens). It records every request and answers each with what the test's handler returns.
/// </summary>
public sealed class LoopbackPeer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly Func<PeerRequest, PeerReply> _handler;
    private readonly X509Certificate2? _certificate;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<PeerRequest> _requests = new();
    private readonly Task _accepting;
    private int _connections;

    public LoopbackPeer(Func<PeerRequest, PeerReply> handler, X509Certificate2? certificate = null)
    {
        _handler = handler;
        _certificate = certificate;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>The table endpoint, path-style like Azurite's.</summary>
    public Uri TableEndpoint => new($"{(_certificate is null ? "http" : "https")}://127.0.0.1:{Port}/devstoreaccount1");

    /// <summary>A SharedKeyLite connection string for the development account pointing here.</summary>
    public string ConnectionString =>
        $"AccountName=devstoreaccount1;AccountKey={DevelopmentKey};TableEndpoint={TableEndpoint}";

    public const string DevelopmentKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    public IReadOnlyList<PeerRequest> Requests => _requests.ToArray();

    public int Count(string method) => Requests.Count(r => r.Method == method);

    /// <summary>A port nobody listens on: a client pointed there cannot have sent anything.</summary>
    public static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public static X509Certificate2 CreateCertificate()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
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
                Stream stream = client.GetStream();
                if (_certificate is not null)
                {
                    var tls = new SslStream(stream);
                    await tls.AuthenticateAsServerAsync(_certificate);
                    stream = tls;
                }

                var reader = new RequestReader(stream, connection);
                while (await reader.ReadAsync(_stop.Token) is { } request)
                {
                    _requests.Enqueue(request);
                    var reply = _handler(request);
                    if (reply.CloseWithoutAnswer)
                    {
                        // Drop the connection after the request was fully received: the client
                        // cannot know whether it was acted on.
                        return;
                    }

                    await stream.WriteAsync(reply.Serialize(), _stop.Token);
                    await stream.FlushAsync(_stop.Token);
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or ObjectDisposedException or AuthenticationException)
            {
                // The client went away; nothing to do.
            }
        }
    }

    private sealed class RequestReader(Stream stream, int connection)
    {
        private byte[] _buffer = new byte[16 * 1024];
        private int _start;
        private int _end;

        public async Task<PeerRequest?> ReadAsync(CancellationToken cancellationToken)
        {
            string? requestLine = await ReadLineAsync(cancellationToken);
            if (string.IsNullOrEmpty(requestLine))
            {
                return null;
            }

            string[] parts = requestLine.Split(' ');
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            while (await ReadLineAsync(cancellationToken) is { Length: > 0 } line)
            {
                int colon = line.IndexOf(':', StringComparison.Ordinal);
                string name = line[..colon].Trim();
                string value = line[(colon + 1)..].Trim();
                headers[name] = headers.TryGetValue(name, out var existing) ? existing + ", " + value : value;
            }

            byte[] body;
            if (headers.TryGetValue("Content-Length", out var length))
            {
                body = await ReadExactAsync(int.Parse(length, CultureInfo.InvariantCulture), cancellationToken);
            }
            else if (headers.TryGetValue("Transfer-Encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
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

            return new PeerRequest(parts[0], parts[1], headers, body, connection);
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

/// <summary>One request the peer received; <c>Connection</c> numbers the TCP connection (1, 2, …) that carried it.</summary>
public sealed record PeerRequest(string Method, string Target, IReadOnlyDictionary<string, string> Headers, byte[] Body, int Connection)
{
    public string Path => Uri.UnescapeDataString(Target.Split('?')[0]);

    public string BodyText => Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>A decoded query parameter, or null.</summary>
    public string? Query(string name)
    {
        int question = Target.IndexOf('?', StringComparison.Ordinal);
        if (question < 0)
        {
            return null;
        }

        foreach (string pair in Target[(question + 1)..].Split('&'))
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && Uri.UnescapeDataString(pair[..equals]) == name)
            {
                return Uri.UnescapeDataString(pair[(equals + 1)..]);
            }
        }

        return null;
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

    public byte[] Serialize()
    {
        byte[] body = Body is null ? [] : Encoding.UTF8.GetBytes(Body);
        var head = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {Status} {(Status < 400 ? "OK" : "Error")}\r\n");
        foreach (var (name, value) in Headers)
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        head.Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n\r\n");
        return [.. Encoding.ASCII.GetBytes(head.ToString()), .. body];
    }
}
