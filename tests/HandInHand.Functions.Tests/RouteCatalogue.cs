using System.Text.RegularExpressions;

namespace HandInHand.Functions.Tests;

/// <summary>One row of docs/routes.md: a method and a route template.</summary>
internal sealed record CatalogueRoute(string Method, string Template)
{
    /// <summary>A concrete path for the template: each parameter given a value of the shape it takes.</summary>
    public string SamplePath => Regex.Replace(Template, @"\{(\w+)\}", m => m.Groups[1].Value switch
    {
        "reference" => "HH-20260101-0001",
        "commandId" => new string('a', 32),
        "messageId" => "m1",
        "documentName" => "v1",
        _ => "x1",
    });
}

/// <summary>The routes of docs/routes.md, which a test in the host's tests holds to the app's endpoint table.</summary>
internal static partial class RouteCatalogue
{
    public static IReadOnlyList<CatalogueRoute> Routes { get; } =
        [.. File.ReadLines(Path.Combine(Repository.Root, "docs", "routes.md"))
            .Select(line => Row().Match(line))
            .Where(m => m.Success)
            .Select(m => new CatalogueRoute(m.Groups[1].Value, m.Groups[2].Value))];

    [GeneratedRegex(@"^\| `([A-Z]+) (/[^`]*)` \|")]
    private static partial Regex Row();
}
