using HandInHand.Host.Tests.Support;
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
    public static async Task<ProcessRun> RunAsync(params string[] arguments) =>
        // It compiles in a few seconds; 90 s leaves room for a machine shared with other builds.
        await ProcessRun.RunAsync(new ProcessStartInfo(Path, arguments) { WorkingDirectory = RepositoryFiles.Root }, TimeSpan.FromSeconds(90))
            ?? throw new TimeoutException("bicep " + string.Join(' ', arguments) + " did not finish in 90 s.");

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
