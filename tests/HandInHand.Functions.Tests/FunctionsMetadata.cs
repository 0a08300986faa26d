using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing.Template;

namespace HandInHand.Functions.Tests;

/// <summary>One function of functions.metadata: its name, entry point and bindings.</summary>
internal sealed record FunctionEntry(string Name, string EntryPoint, IReadOnlyList<JsonElement> Bindings)
{
    public JsonElement Trigger => Bindings.Single(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));

    public string TriggerType => Trigger.GetProperty("type").GetString()!;

    public string? Route => Trigger.TryGetProperty("route", out var route) ? route.GetString() : null;

    public IReadOnlyList<string> Methods =>
        Trigger.TryGetProperty("methods", out var methods) ? [.. methods.EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant())] : [];

    public string? Property(string name) => Trigger.TryGetProperty(name, out var value) ? value.ToString() : null;

    /// <summary>Whether the Functions host would route <paramref name="method"/> <paramref name="path"/> to this function (ASP.NET Core route templates, as the host uses).</summary>
    public bool Takes(string method, string path) =>
        Route is { } route
        && Methods.Contains(method)
        && new TemplateMatcher(TemplateParser.Parse(route), []).TryMatch(new PathString(path), []);
}

/// <summary>The functions.metadata the Worker SDK wrote into the Functions app's build output.</summary>
internal static class FunctionsMetadata
{
    public static IReadOnlyList<FunctionEntry> Functions { get; } =
        [.. Repository.Read(Path.Combine(Repository.FunctionsOutput, "functions.metadata")).EnumerateArray()
            .Select(f => new FunctionEntry(
                f.GetProperty("name").GetString()!,
                f.GetProperty("entryPoint").GetString()!,
                [.. f.GetProperty("bindings").EnumerateArray()]))];
}
