using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HandInHand.Host.Tests.Resilience;

/// <summary>
/// A loopback stand-in for SendGrid's v3 Mail Send: answers 202 as SendGrid does and records
/// every message it accepted by our message id (<c>custom_args.hih_message_id</c>), so that a
/// checker can tell an email delivered once from one delivered twice or never.
/// </summary>
internal sealed class SendGridPeer : IAsyncDisposable
{
    public const string ApiKey = "SG.fault-harness-key";
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _received = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _bodies = new();

    private SendGridPeer(WebApplication app) => _app = app;

    public Uri Address { get; private set; } = null!;

    /// <summary>Message id → how many times it was accepted.</summary>
    public IReadOnlyDictionary<string, int> Received => _received;

    /// <summary>Every request body it accepted, as sent.</summary>
    public IReadOnlyCollection<string> Bodies => _bodies;

    public static async Task<SendGridPeer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var peer = new SendGridPeer(app);
        app.MapPost("/v3/mail/send", peer.AcceptAsync);
        await app.StartAsync();
        peer.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        return peer;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task AcceptAsync(HttpContext context)
    {
        if (context.Request.Headers.Authorization != "Bearer " + ApiKey)
        {
            context.Response.StatusCode = 401;
            await context.Response.WriteAsJsonAsync(new { errors = new[] { new { message = "The provided authorization grant is invalid, expired, or revoked" } } });
            return;
        }

        using var body = await JsonDocument.ParseAsync(context.Request.Body);
        _bodies.Enqueue(body.RootElement.GetRawText());
        var messageId = body.RootElement.GetProperty("personalizations")[0].GetProperty("custom_args").GetProperty("hih_message_id").GetString()
            ?? throw new InvalidOperationException("A message arrived without our message id.");
        _received.AddOrUpdate(messageId, 1, (_, n) => n + 1);
        context.Response.StatusCode = 202;
    }
}
