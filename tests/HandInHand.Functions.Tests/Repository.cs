using System.Text.Json;
using HandInHand.Testing;

namespace HandInHand.Functions.Tests;

/// <summary>The repository and the Functions app's build output, found from the test binaries.</summary>
internal static class Repository
{
    public static string Root => RepositoryFiles.Root;

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

    public static JsonElement Read(string path) => RepositoryFiles.ReadJson(path);
}
