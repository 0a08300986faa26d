using HandInHand.Testing;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace HandInHand.Host.Tests.Deployment;

/// <summary>
/// Reads infra/main.json, the compiled infra/main.bicep: resources by type, the Function App's settings,
/// and the few ARM expressions a test can evaluate.
/// </summary>
internal static partial class ArmTemplate
{
    /// <summary>The repository root: the nearest folder above the test binaries that holds infra/main.bicep.</summary>
    
    public static string BicepPath => RepositoryFiles.PathOf("infra", "main.bicep");

    public static string JsonPath => RepositoryFiles.PathOf("infra", "main.json");

    public static JsonElement Root { get; } = RepositoryFiles.ReadJson(JsonPath);

    public static IEnumerable<JsonElement> Resources(string type) =>
        Root.GetProperty("resources").EnumerateArray().Where(r => string.Equals(r.GetProperty("type").GetString(), type, StringComparison.OrdinalIgnoreCase));

    public static JsonElement Single(string type) => Assert.Single(Resources(type));

    /// <summary>The Function App's app settings, name → value as written (literal or ARM expression).</summary>
    public static IReadOnlyDictionary<string, string> AppSettings() =>
        Single("Microsoft.Web/sites").GetProperty("properties").GetProperty("siteConfig").GetProperty("appSettings").EnumerateArray()
            .ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("value").GetString()!, StringComparer.Ordinal);

    public static bool IsExpression(string value) => value.StartsWith('[') && value.EndsWith(']') && !value.StartsWith("[[", StringComparison.Ordinal);

    /// <summary>The Key Vault secret a setting references, or null.</summary>
    public static string? SecretName(string value) =>
        IsExpression(value) && value.Contains("@Microsoft.KeyVault(VaultName=", StringComparison.Ordinal) && SecretPattern().Match(value) is { Success: true } m ? m.Groups[1].Value : null;

    /// <summary>Evaluates <c>[parameters('x')]</c> (its default) and <c>[variables('x')]</c> (a literal variable); null for anything else.</summary>
    public static string? Evaluate(string value)
    {
        if (!IsExpression(value))
        {
            return value;
        }

        if (SimpleReference().Match(value) is not { Success: true } m)
        {
            return null;
        }

        var (kind, name) = (m.Groups[1].Value, m.Groups[2].Value);
        var found = kind == "parameters"
            ? Root.GetProperty("parameters").TryGetProperty(name, out var p) && p.TryGetProperty("defaultValue", out var d) ? d : (JsonElement?)null
            : Root.GetProperty("variables").TryGetProperty(name, out var v) ? v : null;
        return found is { ValueKind: JsonValueKind.String } s && !IsExpression(s.GetString()!) ? s.GetString() : null;
    }

    /// <summary>The last segment of a child resource's name, e.g. <c>ftp</c> in <c>[format('{0}/{1}', variables('siteName'), 'ftp')]</c>.</summary>
    public static string ChildName(string name) =>
        ChildNamePattern().Match(name) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException($"No literal child name in {name}.");

    /// <summary>An app setting's name as configuration sees it: <c>A__B</c> is <c>A:B</c>.</summary>
    public static string ConfigurationKey(string settingName) => settingName.Replace("__", ":", StringComparison.Ordinal);


    [GeneratedRegex(@"[/']([A-Za-z0-9-]+)'\)\]$")]
    private static partial Regex ChildNamePattern();

    [GeneratedRegex(@"SecretName=([A-Za-z0-9-]+)\)")]
    private static partial Regex SecretPattern();

    [GeneratedRegex(@"^\[(parameters|variables)\('([A-Za-z0-9]+)'\)\]$")]
    private static partial Regex SimpleReference();
}
