using System.Text.Json;

namespace HandInHand.Host.Tests.Deployment;

/// <summary>The deployment files of the repository: host.json and the ARM template.</summary>
internal static class Package
{
    /// <summary>The repository root: the nearest folder above the test binaries that holds host.json and the solution.</summary>
    public static string Root { get; } = FindRoot();

    public static JsonElement HostJson => Read(Path.Combine(Root, "host.json"));

    public static JsonElement Template => Read(Path.Combine(Root, "infra", "main.json"));

    public static JsonElement Read(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.Clone();
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "host.json")) && File.Exists(Path.Combine(dir.FullName, "HandInHand.Functions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("No folder above the test binaries holds host.json and HandInHand.Functions.sln.");
    }
}
