using System.Diagnostics;
using System.Net.Sockets;

namespace HandInHand.Host.Tests.Resilience;

/// <summary>
/// The real host as a separate operating-system process, so that it can be killed with SIGKILL
/// mid-step and started again on the same storage.
/// </summary>
internal sealed class HostProcess : IDisposable
{
    private readonly Dictionary<string, string> _environment;
    private readonly object _logLock = new();
    private Process? _process;
    private StreamWriter? _log;

    public HostProcess(IReadOnlyDictionary<string, string> settings)
    {
        Port = FreePort();
        _environment = new Dictionary<string, string>(settings)
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{Port}",
            ["Logging__LogLevel__Default"] = "Warning",
            // The worker's start and its partition leases: what a run needs to tell a slow start from a stuck one.
            ["Logging__LogLevel__HandInHand.Infrastructure.Orchestration"] = "Information",
            ["Logging__LogLevel__DurableTask.AzureStorage"] = "Information",
        };
        var name = settings.TryGetValue("Orchestration__WorkerId", out var worker) ? worker : "host";
        LogPath = Path.Combine(LogDirectory(), $"{settings.GetValueOrDefault("Storage__TablePrefix", "run")}-{name}-{Port}.log");
    }

    /// <summary>
    /// Where this host's stdout and stderr go, every start appended (under artifacts/host-logs/, not
    /// committed): the host logs no personal data, and a failing run points here instead of guessing.
    /// </summary>
    public string LogPath { get; }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    public int Starts { get; private set; }

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts the host and waits until its health endpoint answers.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        var directory = AppContext.BaseDirectory;
        var info = new ProcessStartInfo("dotnet", [Path.Combine(directory, "HandInHand.Host.dll")])
        {
            WorkingDirectory = directory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in _environment)
        {
            info.Environment[key] = value;
        }

        lock (_logLock)
        {
            _log ??= new StreamWriter(LogPath, append: true) { AutoFlush = true };
            _log.WriteLine($"=== start {Starts + 1} at {DateTime.UtcNow:O}");
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException("The host did not start.");
        _process.OutputDataReceived += (_, e) => Write("out", e.Data);
        _process.ErrorDataReceived += (_, e) => Write("err", e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Starts++;

        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The host exited during start-up with code {_process.ExitCode}; its output is in {LogPath}.");
            }

            try
            {
                if ((await client.GetAsync("health", cancellationToken)).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new TimeoutException($"The host did not become healthy within 60 s; its output is in {LogPath}.");
    }

    /// <summary>SIGKILL: the process gets no chance to finish what it was doing.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
            Write("---", $"killed at {DateTime.UtcNow:O}");
        }
    }

    public void Dispose()
    {
        Kill();
        _process?.Dispose();
        lock (_logLock)
        {
            _log?.Dispose();
            _log = null;
        }
    }

    private void Write(string stream, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_logLock)
        {
            _log?.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {stream} {line}");
        }
    }

    /// <summary>artifacts/host-logs/ at the repository's root (found from the test binaries), or the temp folder outside a checkout.</summary>
    private static string LogDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "HandInHand.Functions.sln")))
            {
                return Directory.CreateDirectory(Path.Combine(directory.FullName, "artifacts", "host-logs")).FullName;
            }
        }

        return Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "handinhand-host-logs")).FullName;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
