using System.Text;

namespace HandInHand.Host.Tests.Support;

/// <summary>One axe-core rule that a page breaks, and the elements that break it.</summary>
internal sealed record AxeViolation(string Id, string? Impact, string Help, IReadOnlyList<string> Targets, IReadOnlyList<string> Summaries)
{
    /// <summary>The violations as a test message: each rule, its impact and help, then every element with what to fix.</summary>
    public static string Describe(string page, IReadOnlyList<AxeViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        var text = new StringBuilder().Append(page).Append(": ").Append(violations.Count).Append(" WCAG 2.1 A/AA violation(s)");
        foreach (var violation in violations)
        {
            text.Append("\n- ").Append(violation.Id).Append(" (").Append(violation.Impact ?? "no impact given").Append("): ").Append(violation.Help);
            for (var i = 0; i < violation.Targets.Count; i++)
            {
                text.Append("\n    at ").Append(violation.Targets[i]);
                if (i < violation.Summaries.Count && violation.Summaries[i].Length > 0)
                {
                    text.Append("\n      ").Append(violation.Summaries[i].Replace("\n", "\n      ", StringComparison.Ordinal));
                }
            }
        }

        return text.ToString();
    }
}
