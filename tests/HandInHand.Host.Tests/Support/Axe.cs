using System.Text.Json;
using Microsoft.Playwright;

namespace HandInHand.Host.Tests.Support;

/// <summary>
/// Runs axe-core (the copy pinned in package-lock.json, which <c>npm ci</c> puts in node_modules) on
/// the page a browser has open, for the WCAG 2.0 and 2.1 A and AA rules.
/// </summary>
internal static class Axe
{
    /// <summary>The rule tags checked: WCAG 2.1 level A and AA, which include 2.0's.</summary>
    public static readonly IReadOnlyList<string> Tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly Lazy<string> Source = new(() =>
    {
        var path = ScriptPath();
        Assert.True(File.Exists(path), $"{path} is missing: run scripts/test.sh, or npm ci at the repository's root.");
        return File.ReadAllText(path);
    });

    /// <summary>
    /// The violations on the page as it stands. The script is evaluated through the DevTools protocol,
    /// which the pages' Content-Security-Policy (no script at all) does not apply to, so the page is
    /// checked under its real policy rather than with the policy switched off.
    /// </summary>
    public static async Task<IReadOnlyList<AxeViolation>> CheckAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'"))
        {
            // An expression, not a function: evaluated as it stands, it defines window.axe.
            await page.EvaluateAsync("(() => {\n" + Source.Value + "\n})()");
        }

        var json = await page.EvaluateAsync<string>(
            """
            async tags => {
              const results = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
              return JSON.stringify(results.violations.map(v => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                targets: v.nodes.map(n => n.target.join(' ')),
                summaries: v.nodes.map(n => n.failureSummary || ''),
              })));
            }
            """,
            Tags);
        return JsonSerializer.Deserialize<List<AxeViolation>>(json, Json)!;
    }

    /// <summary>node_modules/axe-core/axe.min.js at the repository's root, found from the test binaries.</summary>
    private static string ScriptPath()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "HandInHand.Functions.sln")))
            {
                return Path.Combine(directory.FullName, "node_modules", "axe-core", "axe.min.js");
            }
        }

        return Path.Combine(AppContext.BaseDirectory, "node_modules", "axe-core", "axe.min.js");
    }
}
