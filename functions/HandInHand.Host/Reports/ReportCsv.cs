using System.Globalization;
using System.Text;
using HandInHand.Domain.Reports;

namespace HandInHand.Host.Reports;

/// <summary>
/// The reports as one CSV table (RFC 4180): one line per figure, with the report it belongs to.
/// Exports are always suppressed. A cell that a spreadsheet would read as a formula is prefixed
/// with an apostrophe.
/// </summary>
public static class ReportCsv
{
    public const string Header = "report,title,category,label,count,percent";

    /// <summary>The ids <see cref="Write"/> can be limited to, for <paramref name="set"/>.</summary>
    public static IReadOnlyList<string> ReportIds(ReportSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        return ["summary", .. set.Breakdowns.Select(b => b.Id), "wheel-means", "waiting-list-size"];
    }

    public static string Write(ReportSet set, string? only = null)
    {
        ArgumentNullException.ThrowIfNull(set);
        var csv = new StringBuilder().Append(Header).Append("\r\n");
        void Line(string report, string title, string category, string label, string count, string percent)
        {
            if (only is null || only == report)
            {
                csv.AppendJoin(',', new[] { report, title, category, label, count, percent }.Select(Field)).Append("\r\n");
            }
        }

        Line("summary", "Summary", "received", "Referrals received", set.Received.Display, string.Empty);
        Line("summary", "Summary", "worked-with", "Young people worked with", set.WorkedWith.Display, string.Empty);
        Line("summary", "Summary", "mean-days-waited", "Mean days waited", Number(set.MeanDaysWaited), string.Empty);
        foreach (var b in set.Breakdowns)
        {
            Line(b.Id, b.Title, "total", "Total", b.Total.Display, string.Empty);
            foreach (var c in b.Categories)
            {
                Line(b.Id, b.Title, c.Code, c.Label, c.Count.Display, Number(c.Percent));
            }
        }

        foreach (var d in set.WheelDomains)
        {
            Line("wheel-means", "My Wheel mean scores, first and latest", d.Domain + ":before", d.Label + " (first)", Number(d.MeanBefore), string.Empty);
            Line("wheel-means", "My Wheel mean scores, first and latest", d.Domain + ":after", d.Label + " (latest)", Number(d.MeanAfter), string.Empty);
        }

        foreach (var p in set.WaitingListSize)
        {
            Line("waiting-list-size", "Waiting list size at the end of each day", p.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "Waiting", p.Size.Display, string.Empty);
        }

        return csv.ToString();
    }

    private static string Number(double? value) => value?.ToString("0.0", CultureInfo.InvariantCulture) ?? string.Empty;

    private static string Field(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
