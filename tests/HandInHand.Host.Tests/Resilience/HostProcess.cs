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
    private Process? _process;

    public HostProcess(IReadOnlyDictionary<string, string> settings)
    {
        Port = FreePort();
        _environment = new Dictionary<string, string>(settings)
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{Port}",
            ["Logging__LogLevel__Default"] = "Warning",
        };
    }

    /// <summary>
    /// The host as the Functions host starts its custom handler: no URLs configured, only
    /// <c>FUNCTIONS_CUSTOMHANDLER_PORT</c>, which the app must listen on.
    /// </summary>
    public static HostProcess AsCustomHandler(IReadOnlyDictionary<string, string> settings)
    {
        var host = new HostProcess(settings);
        host._environment.Remove("ASPNETCORE_URLS");
        host._environment["FUNCTIONS_CUSTOMHANDLER_PORT"] = host.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return host;
    }

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

        _process = Process.Start(info) ?? throw new InvalidOperationException("The host did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
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
                throw new InvalidOperationException($"The host exited during start-up with code {_process.ExitCode}.");
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

        throw new TimeoutException("The host did not become healthy within 60 s.");
    }

    /// <summary>SIGKILL: the process gets no chance to finish what it was doing.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    public void Dispose()
    {
        Kill();
        _process?.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
