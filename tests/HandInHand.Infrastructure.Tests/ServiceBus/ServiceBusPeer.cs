using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace HandInHand.Infrastructure.Tests.ServiceBus;

/// <summary>
/// A small HTTP/1.1 server on a loopback port standing in for the Service Bus REST endpoint: a real
/// peer over real sockets (optionally TLS), not a mock of our code. It records every request it reads
/// in full and answers each with what the test's script returns — including 503s, dropped connections
/// and peek-locked messages — so the client's requests can be checked against the REST reference.
/// </summary>
public sealed class ServiceBusPeer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly Func<RecordedRequest, ScriptedReply> _script;
    private readonly X509Certificate2? _certificate;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly Task _accepting;
    private int _connections;

    public ServiceBusPeer(Func<RecordedRequest, ScriptedReply> script, X509Certificate2? certificate = null)
    {
        _script = script;
        _certificate = certificate;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    /// <summary>Answers every request with the same reply.</summary>
    public ServiceBusPeer(ScriptedReply reply)
        : this(_ => reply)
    {
    }

    public int Port { get; }

    /// <summary>Where the client under test should send its requests.</summary>
    public Uri Address => new($"{(_certificate is null ? "http" : "https")}://127.0.0.1:{Port}");

    public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();

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
                    var reply = _script(request);
                    if (reply.DropConnection)
                    {
                        // The whole request arrived; the client cannot know whether it was acted on.
                        client.Client.LingerState = new LingerOption(true, 0);
                        return;
                    }

                    await stream.WriteAsync(reply.Serialize(), _stop.Token);
                    await stream.FlushAsync(_stop.Token);
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or ObjectDisposedException or AuthenticationException)
            {
                // The client went away.
            }
        }
    }

    private sealed class RequestReader(Stream stream, int connection)
    {
        private byte[] _buffer = new byte[16 * 1024];
        private int _start;
        private int _end;

        public async Task<RecordedRequest?> ReadAsync(CancellationToken cancellationToken)
        {
            string? requestLine = await ReadLineAsync(cancellationToken);
            if (string.IsNullOrEmpty(requestLine))
            {
                return null;
            }

            string[] parts = requestLine.Split(' ');
            var headers = new List<(string Name, string Value)>();
            while (await ReadLineAsync(cancellationToken) is { Length: > 0 } line)
            {
                int colon = line.IndexOf(':', StringComparison.Ordinal);
                headers.Add((line[..colon].Trim(), line[(colon + 1)..].Trim()));
            }

            byte[] body = [];
            var length = headers.FirstOrDefault(h => h.Name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase));
            if (length.Name is not null)
            {
                body = await ReadExactAsync(int.Parse(length.Value, CultureInfo.InvariantCulture), cancellationToken);
            }
            else if (headers.Any(h => h.Name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)))
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

            return new RecordedRequest(parts[0], parts[1], headers, body, connection, DateTimeOffset.UtcNow);
        }

        private async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                int index = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8);
                if (index >= 0)
                {
                    string line = Encoding.ASCII.GetString(_buffer, _start, index);
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

    public byte[] Serialize()
    {
        var head = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {Status} {(Status < 400 ? "OK" : "Error")}\r\n");
        foreach (var (name, value) in Headers)
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        head.Append(CultureInfo.InvariantCulture, $"Content-Length: {Body.Length}\r\n\r\n");
        return [.. Encoding.ASCII.GetBytes(head.ToString()), .. Body];
    }
}
