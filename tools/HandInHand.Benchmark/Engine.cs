using HandInHand.Host.Setup;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HandInHand.Benchmark;

/// <summary>A clock that runs at real speed from a moment of the benchmark's choosing, so that timers written in the past can come due now.</summary>
internal sealed class ShiftedClock : TimeProvider
{
    private TimeSpan _offset;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + _offset;

    /// <summary>From now on the clock reads <paramref name="moment"/>, then runs on.</summary>
    public void Set(DateTimeOffset moment) => _offset = moment - System.GetUtcNow();
}

/// <summary>
/// The host's own services (the same registrations, the Development configuration), built in
/// this process without serving requests: the storage layer for loading data in bulk and the
/// dispatcher exactly as the host runs it.
/// </summary>
internal sealed class Engine : IAsyncDisposable
{
    private readonly WebApplication _app;

    private Engine(WebApplication app, ShiftedClock clock)
    {
        _app = app;
        Clock = clock;
    }

    public ShiftedClock Clock { get; }

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
        var clock = new ShiftedClock();
        builder.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock));
        var app = builder.Build();
        // Only the table creation runs; the dispatcher loop is started by the measurement that needs it.
        await app.Services.GetServices<IHostedService>().OfType<StorageInitializer>().Single().StartAsync(CancellationToken.None);
        return new Engine(app, clock);
    }

    public T Get<T>()
        where T : notnull => _app.Services.GetRequiredService<T>();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
