using HandInHand.Testing;
using System.Diagnostics;
using System.Reflection;

namespace HandInHand.Host.Tests.Deployment;

/// <summary>
/// The Bicep CLI restored from NuGet (Azure.Bicep.CommandLine.linux-x64, pinned in Directory.Packages.props):
/// the test project's build records where NuGet put it. Nothing is downloaded at test time.
/// </summary>
internal static class BicepCli
{
    public static string Path { get; } = Find();

    /// <summary>Runs <c>bicep</c> with <paramref name="arguments"/> in the repository root; its exit code and both outputs.</summary>
    public static async Task<BicepRun> RunAsync(params string[] arguments)
    {
        var info = new ProcessStartInfo(Path, arguments)
        {
            WorkingDirectory = RepositoryFiles.Root,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(info) ?? throw new InvalidOperationException("bicep did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        // It compiles in a few seconds; a minute leaves room for a machine shared with other builds.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("bicep " + string.Join(' ', arguments) + " did not finish in 90 s.");
        }

        return new BicepRun(process.ExitCode, await output, await error);
    }

    private static string Find()
    {
        var path = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == "BicepCli")?.Value;
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            throw new InvalidOperationException($"The Bicep CLI is not where the build said ({path}): restore the test project (dotnet restore).");
        }

        // The build sets the executable bit; a test run on binaries built elsewhere may still lack it.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute);
        }

        return path;
    }
}

/// <summary>One run of the Bicep CLI.</summary>
internal sealed record BicepRun(int ExitCode, string Output, string Error);
