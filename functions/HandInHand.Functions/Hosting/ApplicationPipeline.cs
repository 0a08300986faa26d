using HandInHand.Host.Setup;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.DurableTask.Client;

namespace HandInHand.Functions.Hosting;

/// <summary>
/// The local host's app — the same services (<see cref="ApplicationServices.AddApplicationServices"/>)
/// and the same pipeline and endpoints (<see cref="ApplicationEndpoints.MapApplicationEndpoints"/>) —
/// built inside the Functions worker on an <see cref="InMemoryServer"/>. Every HTTP function hands
/// its request here, so each route has one definition, whichever host serves it; the orchestration,
/// activity and timer functions resolve the app's classes from <see cref="Services"/>.
/// </summary>
public sealed class ApplicationPipeline : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly InMemoryServer _server = new();

    /// <param name="environmentName">The worker's environment: the app runs in the same one.</param>
    /// <param name="configure">Last words on the app's builder (tests give it their storage and settings).</param>
    /// <exception cref="MissingSettingsException">Settings the app cannot run without are missing; the message names them all.</exception>
    public ApplicationPipeline(string environmentName, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = environmentName,
            // The published app's folder, where the host's appsettings.json is copied.
            ContentRootPath = AppContext.BaseDirectory,
        });
        configure?.Invoke(builder);
        builder.WebHost.UseServer(_server);
        builder.Services.AddSingleton<IServer>(_server);
        builder.Services.AddSingleton(Client);
        builder.Services.AddSingleton<DurableTaskClient>(Client);
        builder.AddApplicationServices(BackgroundWork.ByTheFunctionsHost);
        _app = builder.Build();
        _app.MapApplicationEndpoints();
    }

    /// <summary>The durable client the app sends commands with: each invocation lends it the Functions one.</summary>
    public LentDurableTaskClient Client { get; } = new();

    /// <summary>The app's services: the activities' and timer jobs' dependencies come from here.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Starts the app: its hosted services (table creation, practitioner seeding) and its in-memory server.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default) => _app.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken = default) => _app.StopAsync(cancellationToken);

    /// <summary>
    /// Serves the request the worker received through the app's pipeline, which writes the response
    /// into the worker's own. <paramref name="client"/> is this invocation's durable client.
    /// </summary>
    public async Task ServeAsync(HttpContext received, DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(received);
        Client.Lend(client);
        await _server.ServeAsync(ServerFeatures.Of(received.Features)).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync().ConfigureAwait(false);
}
