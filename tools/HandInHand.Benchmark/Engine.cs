using HandInHand.Host.Setup;

namespace HandInHand.Benchmark;

/// <summary>
/// The host's own services (the same registrations, the Development configuration), built in
/// this process without serving requests or running orchestrations: the storage layer, for
/// seeding the report figures in bulk.
/// </summary>
internal sealed class Engine : IAsyncDisposable
{
    private readonly WebApplication _app;

    private Engine(WebApplication app)
    {
        _app = app;
    }

    public IServiceProvider Services => _app.Services;

    public static async Task<Engine> CreateAsync(string connectionString, string tablePrefix, string mailbox)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Development",
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = connectionString,
            ["Storage:TablePrefix"] = tablePrefix,
            ["Notifications:DevelopmentMailboxPath"] = mailbox,
            ["Digests:Enabled"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.AddApplicationServices();
        var app = builder.Build();
        // Only the table creation runs: the app is never started, so neither is its orchestration worker.
        await app.Services.GetServices<IHostedService>().OfType<StorageInitializer>().Single().StartAsync(CancellationToken.None);
        return new Engine(app);
    }

    public T Get<T>()
        where T : notnull => _app.Services.GetRequiredService<T>();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
