using System.Text.Json;

namespace HandInHand.Host.Tests.Deployment;

/// <summary>The Functions package as it is assembled from the repository: host.json, the function folders and the ARM template.</summary>
internal static class Package
{
    /// <summary>The repository root: the nearest folder above the test binaries that holds host.json and functionapp/.</summary>
    public static string Root { get; } = FindRoot();

    public static string FunctionAppDirectory => Path.Combine(Root, "functionapp");

    public static JsonElement HostJson => Read(Path.Combine(Root, "host.json"));

    public static JsonElement Template => Read(Path.Combine(Root, "infra", "main.json"));

    /// <summary>Every function folder: its name and its (single) trigger binding.</summary>
    public static IReadOnlyList<FunctionFolder> Functions() =>
        Directory.GetDirectories(FunctionAppDirectory)
            .Order(StringComparer.Ordinal)
            .Select(dir =>
            {
                var json = Read(Path.Combine(dir, "function.json"));
                var triggers = json.GetProperty("bindings").EnumerateArray()
                    .Where(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal))
                    .ToList();
                Assert.True(triggers.Count == 1, $"{Path.GetFileName(dir)} has {triggers.Count} triggers; a function has exactly one.");
                return new FunctionFolder(Path.GetFileName(dir), triggers[0]);
            })
            .ToList();

    public static JsonElement Read(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.Clone();
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "host.json")) && Directory.Exists(Path.Combine(dir.FullName, "functionapp")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("No folder above the test binaries holds host.json and functionapp/.");
    }
}

/// <summary>One function folder: its name and trigger binding.</summary>
internal sealed record FunctionFolder(string Name, JsonElement Trigger)
{
    public string TriggerType => Trigger.GetProperty("type").GetString()!;

    public bool IsHttp => TriggerType == "httpTrigger";

    /// <summary>The route template of an HTTP function (the function name when none is given, as the host does).</summary>
    public string Route => Trigger.TryGetProperty("route", out var route) ? route.GetString()! : Name;

    public string? Property(string name) => Trigger.TryGetProperty(name, out var value) ? value.GetString() : null;
}
