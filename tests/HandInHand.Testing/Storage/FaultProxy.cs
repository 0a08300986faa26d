using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HandInHand.Testing.Storage;

/// <summary>
/// A loopback HTTP proxy between the host and Azurite that injects storage faults on a seeded
/// schedule: 503 Server Busy, 500 Operation Timeout, dropped connections, resets after the
/// request was applied, and latency. The host's storage connection string points here.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase) { "Host", "Connection", "Keep-Alive", "Transfer-Encoding", "Proxy-Connection", "Upgrade" };
    private readonly WebApplication _app;
    private readonly HttpClient _forward;
    private readonly Uri _target;
    private readonly FaultSchedule _schedule;
    private readonly ConcurrentDictionary<FaultKind, int> _counts = new();

    private FaultProxy(WebApplication app, Uri target, FaultSchedule schedule)
    {
        _app = app;
        _target = target;
        _schedule = schedule;
        _forward = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, AutomaticDecompression = System.Net.DecompressionMethods.None, UseCookies = false })
        {
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    /// <summary>The proxy's base address (scheme, host and port).</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>While false every request passes untouched and is not counted (start-up and settling).</summary>
    public bool Injecting { get; set; }

    /// <summary>Requests seen while injecting, per fault kind (None = forwarded untouched).</summary>
    public IReadOnlyDictionary<FaultKind, int> Counts => _counts;

    /// <summary>Starts a proxy on a free loopback port in front of the table endpoint of <paramref name="connectionString"/>.</summary>
    public static async Task<FaultProxy> StartAsync(string connectionString, FaultSchedule schedule)
    {
        var endpoint = new Uri(connectionString.Split(';').Single(p => p.StartsWith("TableEndpoint=", StringComparison.OrdinalIgnoreCase))["TableEndpoint=".Length..]);
        var target = new Uri(endpoint.GetLeftPart(UriPartial.Authority) + "/");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var proxy = new FaultProxy(app, target, schedule);
        app.Run(proxy.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        proxy.Address = new Uri(address);
        return proxy;
    }

    /// <summary>A storage connection string like <paramref name="connectionString"/> whose table endpoint goes through this proxy.</summary>
    public string Rewrite(string connectionString)
    {
        var parts = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(part =>
        {
            if (!part.StartsWith("TableEndpoint=", StringComparison.OrdinalIgnoreCase))
            {
                return part;
            }

            var endpoint = new UriBuilder(part["TableEndpoint=".Length..]) { Host = Address.Host, Port = Address.Port };
            return "TableEndpoint=" + endpoint.Uri.AbsoluteUri.TrimEnd('/');
        });
        return string.Join(';', parts) + ";";
    }

    /// <summary>One line per fault kind, e.g. <c>ServerBusy 41</c>.</summary>
    public string Describe() => string.Join(", ", Enum.GetValues<FaultKind>().Select(k => $"{k} {_counts.GetValueOrDefault(k)}"));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _forward.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var (kind, parameter) = Injecting ? _schedule.Next() : (FaultKind.None, 0);
        if (Injecting)
        {
            _counts.AddOrUpdate(kind, 1, (_, n) => n + 1);
        }

        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        switch (kind)
        {
            case FaultKind.ServerBusy:
                await ErrorAsync(context, 503, "ServerBusy", "The server is busy.");
                return;
            case FaultKind.Dropped:
                context.Abort();
                return;
            case FaultKind.OperationTimeout:
                if (parameter % 2 == 0)
                {
                    using var _ = await ForwardAsync(context, body.ToArray());
                }

                await ErrorAsync(context, 500, "OperationTimedOut", "Operation could not be completed within the specified time.");
                return;
            case FaultKind.ResetAfterApplied:
                using (await ForwardAsync(context, body.ToArray()))
                {
                    context.Abort();
                }

                return;
            case FaultKind.Latency:
                await Task.Delay(parameter);
                break;
        }

        using var response = await ForwardAsync(context, body.ToArray());
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var header in response.Headers.Concat(response.Content.Headers))
        {
            if (!HopByHop.Contains(header.Key))
            {
                context.Response.Headers[header.Key] = header.Value.ToArray();
            }
        }

        var content = await response.Content.ReadAsByteArrayAsync();
        context.Response.ContentLength = content.Length;
        await context.Response.Body.WriteAsync(content);
    }

    private async Task<HttpResponseMessage> ForwardAsync(HttpContext context, byte[] body)
    {
        var uri = new UriBuilder(_target) { Path = context.Request.Path.Value ?? "/", Query = context.Request.QueryString.Value?.TrimStart('?') ?? string.Empty }.Uri;
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), uri);
        if (body.Length > 0 || context.Request.ContentLength is not null)
        {
            request.Content = new ByteArrayContent(body);
        }

        foreach (var header in context.Request.Headers)
        {
            if (HopByHop.Contains(header.Key) || header.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!request.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray()))
            {
                request.Content?.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray());
            }
        }

        return await _forward.SendAsync(request, HttpCompletionOption.ResponseContentRead);
    }

    private static async Task ErrorAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.Headers["x-ms-error-code"] = code;
        context.Response.ContentType = "application/json;odata=minimalmetadata;streaming=true;charset=utf-8";
        await context.Response.Body.WriteAsync(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["odata.error"] = new { code, message = new { lang = "en-US", value = message } } }));
    }
}
