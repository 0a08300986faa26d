using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace HandInHand.Testing.Http;

/// <summary>
/// A small HTTP/1.1 server on a loopback port (optionally TLS): a real peer over real sockets, not a
/// mock of our code. It reads every request in full (Content-Length or chunked bodies, keep-alive
/// connections numbered 1, 2, …) and does what <c>answer</c> says with each. The protocol peers
/// (Tables, Service Bus, SendGrid) build on it with their own request records, replies and checks.
/// </summary>
public sealed class LoopbackHttpPeer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly Func<LoopbackRequest, LoopbackAnswer> _answer;
    private readonly X509Certificate2? _certificate;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _connections;

    public LoopbackHttpPeer(Func<LoopbackRequest, LoopbackAnswer> answer, X509Certificate2? certificate = null)
    {
        _answer = answer;
        _certificate = certificate;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>The peer's base address: <c>http(s)://127.0.0.1:port</c>.</summary>
    public Uri Address => new($"{(_certificate is null ? "http" : "https")}://127.0.0.1:{Port}");

    /// <summary>A port nobody listens on: a client pointed there cannot have sent anything.</summary>
    public static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>A self-signed certificate for 127.0.0.1, for peers that must speak TLS.</summary>
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

    /// <summary>A complete HTTP/1.1 response: status line, the headers given, Content-Length, body.</summary>
    public static byte[] Response(int status, IEnumerable<(string Name, string Value)> headers, byte[] body)
    {
        var head = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {status} {(status < 400 ? "OK" : "Error")}\r\n");
        foreach (var (name, value) in headers)
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        head.Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n\r\n");
        return [.. Encoding.ASCII.GetBytes(head.ToString()), .. body];
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
                    var answer = _answer(request);
                    switch (answer.Kind)
                    {
                        case LoopbackAnswerKind.Close:
                            // The whole request arrived; the client cannot know whether it was acted on.
                            return;
                        case LoopbackAnswerKind.Reset:
                            // As Close, but with a TCP reset instead of an orderly shutdown.
                            client.Client.LingerState = new LingerOption(true, 0);
                            return;
                        case LoopbackAnswerKind.Hang:
                            await Task.Delay(Timeout.Infinite, _stop.Token);
                            return;
                        case LoopbackAnswerKind.Partial:
                            await stream.WriteAsync(answer.Bytes, _stop.Token);
                            await stream.FlushAsync(_stop.Token);
                            client.Client.Shutdown(SocketShutdown.Both);
                            return;
                        default:
                            await stream.WriteAsync(answer.Bytes, _stop.Token);
                            await stream.FlushAsync(_stop.Token);
                            break;
                    }
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or ObjectDisposedException or AuthenticationException)
            {
                // The client went away or the peer is stopping.
            }
        }
    }

    private sealed class RequestReader(Stream stream, int connection)
    {
        private byte[] _buffer = new byte[64 * 1024];
        private int _start;
        private int _end;

        public async Task<LoopbackRequest?> ReadAsync(CancellationToken cancellationToken)
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

            var request = new LoopbackRequest(parts[0], parts[1], headers, [], connection);
            byte[] body;
            if (request.HeaderValues("Content-Length") is [var length, ..])
            {
                body = await ReadExactAsync(int.Parse(length, CultureInfo.InvariantCulture), cancellationToken);
            }
            else if (request.HeaderValues("Transfer-Encoding") is [var encoding, ..] && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
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

            return request with { Body = body };
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
