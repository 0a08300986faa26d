using System.Text.Json;

namespace HandInHand.Testing;

/// <summary>The repository's own files (documents, host.json, the template), found from the test binaries, for tests that check them against the code.</summary>
public static class RepositoryFiles
{
    /// <summary>The nearest folder above the test binaries that holds the solution.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>A path below the repository root.</summary>
    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>A JSON file, parsed.</summary>
    public static JsonElement ReadJson(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.Clone();
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "HandInHand.Functions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("No folder above the test binaries holds HandInHand.Functions.sln.");
    }
}
