using System.Text.Json;

namespace HandInHand.Functions.Tests;

/// <summary>The repository and the Functions app's build output, found from the test binaries.</summary>
internal static class Repository
{
    /// <summary>The nearest folder above the test binaries that holds host.json and the solution.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>
    /// The Functions project's build output for the configuration the tests were built in (the test
    /// project references it, so it is built first): bin/{configuration}/{framework}/.
    /// </summary>
    public static string FunctionsOutput
    {
        get
        {
            var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var configuration = framework.Parent!;
            return Path.Combine(Root, "functions", "HandInHand.Functions", "bin", configuration.Name, framework.Name);
        }
    }

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
