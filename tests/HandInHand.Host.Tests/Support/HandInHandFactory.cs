using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace HandInHand.Host.Tests.Support;

/// <summary>
/// Hosts the real app against the test run's Azurite, with tables of its own, a fake clock that
/// the test sets, and every log line captured.
/// </summary>
public class HandInHandFactory : WebApplicationFactory<Program>
{
    /// <summary>
    /// When this test run began (to the second). The orchestrations decide at real time, so the
    /// host's clock starts at real time too: a referral received "at Start" sets its clocks from
    /// a moment that really is now, not days ago.
    /// </summary>
    public static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());

    public FakeTimeProvider Clock { get; } = new(Start);

    public CapturingLoggerProvider Logs { get; } = new();

    public string TablePrefix { get; } = TestStorage.NewTablePrefix();

    /// <summary>The development mailbox of this host: a folder of its own.</summary>
    public string MailboxPath { get; } = Path.Combine(Path.GetTempPath(), "handinhand-mailbox-" + Guid.NewGuid().ToString("N"));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Storage:ConnectionString", TestStorage.ConnectionString);
        builder.UseSetting("Storage:TablePrefix", TablePrefix);
        builder.UseSetting("Orchestration:TaskHubName", "hub" + TablePrefix);
        // Many test hosts share one Azurite: one control queue each keeps their idle polling low,
        // and a command waits long enough on a loaded machine that its answer is not a 202.
        builder.UseSetting("Orchestration:PartitionCount", "1");
        builder.UseSetting("Orchestration:CommandWait", "PT60S");
        builder.UseSetting("Digests:Enabled", "false");
        builder.UseSetting("Notifications:DevelopmentMailboxPath", MailboxPath);
        builder.UseSetting("RateLimits:PerClientPermits", "100000");
        builder.UseSetting("RateLimits:TotalPermits", "100000");
        builder.ConfigureLogging(logging => logging.ClearProviders().AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
        builder.ConfigureServices(services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock)));
    }

    /// <summary>
    /// What this host knows of a referral's orchestration, for the message of a test that waited
    /// for it in vain: its status, and the last log lines that name it.
    /// </summary>
    public async Task<string> DescribeOrchestrationAsync(string reference, int lines = 40)
    {
        var instance = await Services.GetRequiredService<Microsoft.DurableTask.Client.DurableTaskClient>().GetInstanceAsync(reference);
        var status = instance is null ? "no orchestration" : $"orchestration {instance.RuntimeStatus}, last updated {instance.LastUpdatedAt:O}{(instance.FailureDetails is { } f ? $", failed: {f.ErrorMessage}" : string.Empty)}";
        var named = Logs.Lines.Where(l => l.Contains(reference, StringComparison.Ordinal)).TakeLast(lines);
        return status + Environment.NewLine + string.Join(Environment.NewLine, named);
    }

    /// <summary>
    /// A second host of the app over this one's storage and task hub, with <paramref name="configure"/>'s
    /// settings. It runs no orchestration worker: this host's worker runs the orchestrations, and two
    /// workers under one worker id on one task hub would each take the other's partition lease (and
    /// messages the second took would stay hidden for minutes once it was disposed).
    /// </summary>
    public WebApplicationFactory<Program> Sibling(Action<IWebHostBuilder> configure) =>
        WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Orchestration:WorkerEnabled", "false");
            configure(builder);
        });

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && Directory.Exists(MailboxPath))
        {
            Directory.Delete(MailboxPath, recursive: true);
        }
    }
}

/// <summary>The same app on a real Kestrel socket, for the browser tests.</summary>
public sealed class KestrelHandInHandFactory : HandInHandFactory
{
    public KestrelHandInHandFactory()
    {
        UseKestrel(0);
    }

    /// <summary>The base address the browser uses.</summary>
    public Uri ServerAddress
    {
        get
        {
            StartServer();
            return ClientOptions.BaseAddress;
        }
    }
}
