using System.Globalization;
using System.Text;
using static HandInHand.Host.Web.Html;

namespace HandInHand.Host.Reports;

/// <summary>A bar of a chart: its label, its value (null when suppressed: no bar is drawn) and the text shown for it.</summary>
public sealed record Bar(string Label, double? Value, string Display);

/// <summary>
/// Charts drawn by the app as inline SVG: no script, no inline style (colours come from the
/// stylesheet through classes), so the strict CSP holds. Each chart is a figure with a caption,
/// an SVG with role="img", a title and a description that reads every value, axis labels, and
/// the same figures as a table for anyone who cannot see the drawing.
/// </summary>
public static class SvgCharts
{
    private const int Width = 640;
    private const int LabelWidth = 230;
    private const int ValueWidth = 60;
    private const int BarHeight = 22;
    private const int Gap = 8;
    private const int Top = 10;
    private const int AxisSpace = 46;

    /// <summary>Horizontal bars: categories down the side, counts along the bottom.</summary>
    public static string HorizontalBars(string id, string title, string categoryAxis, string valueAxis, IReadOnlyList<Bar> bars, double? maxValue = null)
    {
        ArgumentNullException.ThrowIfNull(bars);
        var plot = Width - LabelWidth - ValueWidth;
        var height = Top + bars.Count * (BarHeight + Gap) + AxisSpace;
        var max = Max(bars, maxValue);
        var svg = Open(id, title, Describe("Bar chart", bars, valueAxis), height);
        var axisY = Top + bars.Count * (BarHeight + Gap);
        for (var i = 0; i < bars.Count; i++)
        {
            var y = Top + i * (BarHeight + Gap);
            var bar = bars[i];
            svg.Append(Inv($"<text class=\"label\" x=\"{LabelWidth - 8}\" y=\"{y + 16}\" text-anchor=\"end\">{E(bar.Label)}</text>"));
            var w = bar.Value is { } v ? v / max * plot : 0;
            if (w > 0)
            {
                svg.Append(Inv($"<rect class=\"bar\" x=\"{LabelWidth}\" y=\"{y}\" width=\"{w:0.#}\" height=\"{BarHeight}\"/>"));
            }

            svg.Append(Inv($"<text class=\"value\" x=\"{LabelWidth + w + 6:0.#}\" y=\"{y + 16}\">{E(bar.Display)}</text>"));
        }

        Axes(svg, LabelWidth, axisY, plot, max, categoryAxis, valueAxis);
        return Close(svg, id, title, categoryAxis, valueAxis, bars);
    }

    /// <summary>Vertical columns (a histogram): bands along the bottom, counts up the side.</summary>
    public static string Columns(string id, string title, string categoryAxis, string valueAxis, IReadOnlyList<Bar> bars)
    {
        ArgumentNullException.ThrowIfNull(bars);
        const int left = 60;
        const int plotHeight = 220;
        var plot = Width - left - 20;
        var slot = plot / Math.Max(1, bars.Count);
        var max = Max(bars, null);
        var height = Top + 20 + plotHeight + 30 + AxisSpace;
        var svg = Open(id, title, Describe("Histogram", bars, valueAxis), height);
        var baseY = Top + 20 + plotHeight;
        for (var i = 0; i < bars.Count; i++)
        {
            var x = left + i * slot;
            var bar = bars[i];
            var h = bar.Value is { } v ? v / max * plotHeight : 0;
            if (h > 0)
            {
                svg.Append(Inv($"<rect class=\"bar\" x=\"{x + 4}\" y=\"{baseY - h:0.#}\" width=\"{slot - 8}\" height=\"{h:0.#}\"/>"));
            }

            svg.Append(Inv($"<text class=\"value\" x=\"{x + slot / 2}\" y=\"{baseY - h - 4:0.#}\" text-anchor=\"middle\">{E(bar.Display)}</text>"));
            svg.Append(Inv($"<text class=\"label\" x=\"{x + slot / 2}\" y=\"{baseY + 18}\" text-anchor=\"middle\">{E(bar.Label)}</text>"));
        }

        svg.Append(Inv($"<line class=\"axis\" x1=\"{left}\" y1=\"{baseY}\" x2=\"{left + plot}\" y2=\"{baseY}\"/>"));
        svg.Append(Inv($"<line class=\"axis\" x1=\"{left}\" y1=\"{Top + 20}\" x2=\"{left}\" y2=\"{baseY}\"/>"));
        svg.Append(Inv($"<text class=\"tick\" x=\"{left - 6}\" y=\"{baseY + 4}\" text-anchor=\"end\">0</text>"));
        svg.Append(Inv($"<text class=\"tick\" x=\"{left - 6}\" y=\"{Top + 24}\" text-anchor=\"end\">{max:0.#}</text>"));
        svg.Append(Inv($"<text class=\"axis-label\" x=\"{left + plot / 2}\" y=\"{height - 8}\" text-anchor=\"middle\">{E(categoryAxis)}</text>"));
        svg.Append(Inv($"<text class=\"axis-label\" x=\"14\" y=\"{Top + 20 + plotHeight / 2}\" text-anchor=\"middle\" transform=\"rotate(-90 14 {Top + 20 + plotHeight / 2})\">{E(valueAxis)}</text>"));
        return Close(svg, id, title, categoryAxis, valueAxis, bars);
    }

    /// <summary>Pairs of bars per category (before and after), on a fixed scale.</summary>
    public static string PairedBars(string id, string title, string categoryAxis, string valueAxis, string firstName, string secondName, IReadOnlyList<(string Label, double? First, double? Second)> pairs, double maxValue)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var plot = Width - LabelWidth - ValueWidth;
        const int pairHeight = 2 * 14 + 12;
        var height = Top + 24 + pairs.Count * pairHeight + AxisSpace;
        var flat = pairs.SelectMany(p => new[] { new Bar($"{p.Label}, {firstName}", p.First, Show(p.First)), new Bar($"{p.Label}, {secondName}", p.Second, Show(p.Second)) }).ToList();
        var svg = Open(id, title, Describe("Paired bar chart", flat, valueAxis), height);
        svg.Append(Inv($"<rect class=\"bar\" x=\"{LabelWidth}\" y=\"{Top}\" width=\"12\" height=\"12\"/><text class=\"tick\" x=\"{LabelWidth + 16}\" y=\"{Top + 11}\">{E(firstName)}</text>"));
        svg.Append(Inv($"<rect class=\"bar-after\" x=\"{LabelWidth + 140}\" y=\"{Top}\" width=\"12\" height=\"12\"/><text class=\"tick\" x=\"{LabelWidth + 156}\" y=\"{Top + 11}\">{E(secondName)}</text>"));
        var y0 = Top + 24;
        for (var i = 0; i < pairs.Count; i++)
        {
            var y = y0 + i * pairHeight;
            var (label, first, second) = pairs[i];
            svg.Append(Inv($"<text class=\"label\" x=\"{LabelWidth - 8}\" y=\"{y + 18}\" text-anchor=\"end\">{E(label)}</text>"));
            var w1 = (first ?? 0) / maxValue * plot;
            var w2 = (second ?? 0) / maxValue * plot;
            svg.Append(Inv($"<rect class=\"bar\" x=\"{LabelWidth}\" y=\"{y}\" width=\"{w1:0.#}\" height=\"13\"/><text class=\"value\" x=\"{LabelWidth + w1 + 6:0.#}\" y=\"{y + 11}\">{E(Show(first))}</text>"));
            svg.Append(Inv($"<rect class=\"bar-after\" x=\"{LabelWidth}\" y=\"{y + 14}\" width=\"{w2:0.#}\" height=\"13\"/><text class=\"value\" x=\"{LabelWidth + w2 + 6:0.#}\" y=\"{y + 25}\">{E(Show(second))}</text>"));
        }

        Axes(svg, LabelWidth, y0 + pairs.Count * pairHeight, plot, maxValue, categoryAxis, valueAxis);
        return Close(svg, id, title, categoryAxis, valueAxis, flat);
    }

    /// <summary>A line over time: dates along the bottom, values up the side.</summary>
    public static string Line(string id, string title, string categoryAxis, string valueAxis, IReadOnlyList<Bar> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        const int left = 60;
        const int plotHeight = 200;
        var plot = Width - left - 20;
        var max = Max(points, null);
        var height = Top + plotHeight + 30 + AxisSpace;
        var baseY = Top + plotHeight;
        var step = points.Count > 1 ? plot / (double)(points.Count - 1) : 0;
        var coordinates = points.Select((p, i) => (X: left + i * step, Y: baseY - (p.Value ?? 0) / max * plotHeight)).ToList();
        var summary = points.Count == 0 ? "No data." : $"Line chart of {points.Count} days, from {points[0].Label} ({points[0].Display}) to {points[^1].Label} ({points[^1].Display}); highest {max:0.#}.";
        var svg = Open(id, title, summary, height);
        svg.Append("<polyline class=\"line\" points=\"").AppendJoin(' ', coordinates.Select(c => Inv($"{c.X:0.#},{c.Y:0.#}"))).Append("\"/>");
        svg.Append(Inv($"<line class=\"axis\" x1=\"{left}\" y1=\"{baseY}\" x2=\"{left + plot}\" y2=\"{baseY}\"/>"));
        svg.Append(Inv($"<line class=\"axis\" x1=\"{left}\" y1=\"{Top}\" x2=\"{left}\" y2=\"{baseY}\"/>"));
        svg.Append(Inv($"<text class=\"tick\" x=\"{left - 6}\" y=\"{baseY + 4}\" text-anchor=\"end\">0</text><text class=\"tick\" x=\"{left - 6}\" y=\"{Top + 10}\" text-anchor=\"end\">{max:0.#}</text>"));
        if (points.Count > 0)
        {
            svg.Append(Inv($"<text class=\"tick\" x=\"{left}\" y=\"{baseY + 18}\">{E(points[0].Label)}</text><text class=\"tick\" x=\"{left + plot}\" y=\"{baseY + 18}\" text-anchor=\"end\">{E(points[^1].Label)}</text>"));
        }

        svg.Append(Inv($"<text class=\"axis-label\" x=\"{left + plot / 2}\" y=\"{height - 8}\" text-anchor=\"middle\">{E(categoryAxis)}</text>"));
        svg.Append(Inv($"<text class=\"axis-label\" x=\"14\" y=\"{Top + plotHeight / 2}\" text-anchor=\"middle\" transform=\"rotate(-90 14 {Top + plotHeight / 2})\">{E(valueAxis)}</text>"));
        svg.Append("</svg>\n");
        return $"<figure class=\"chart\" id=\"{E(id)}\">\n<figcaption>{E(title)}</figcaption>\n{svg}</figure>\n";
    }

    private static string Show(double? value) => value?.ToString("0.0", CultureInfo.InvariantCulture) ?? "not shown";

    private static double Max(IReadOnlyList<Bar> bars, double? fixedMax) =>
        fixedMax ?? Math.Max(1, bars.Select(b => b.Value ?? 0).DefaultIfEmpty(0).Max());

    private static string Describe(string kind, IReadOnlyList<Bar> bars, string valueAxis) =>
        bars.Count == 0 ? "No data." : $"{kind} of {valueAxis.ToLowerInvariant()}: " + string.Join("; ", bars.Select(b => $"{b.Label}: {b.Display}")) + ".";

    private static StringBuilder Open(string id, string title, string description, int height) =>
        new StringBuilder()
            .Append(Inv($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart-svg\" viewBox=\"0 0 {Width} {height}\" role=\"img\" aria-labelledby=\"{E(id)}-title {E(id)}-desc\">\n"))
            .Append(CultureInfo.InvariantCulture, $"<title id=\"{E(id)}-title\">{E(title)}</title>\n<desc id=\"{E(id)}-desc\">{E(description)}</desc>\n");

    private static void Axes(StringBuilder svg, int x0, int y, int plot, double max, string categoryAxis, string valueAxis)
    {
        svg.Append(Inv($"<line class=\"axis\" x1=\"{x0}\" y1=\"{y}\" x2=\"{x0 + plot}\" y2=\"{y}\"/>"));
        svg.Append(Inv($"<line class=\"axis\" x1=\"{x0}\" y1=\"{Top}\" x2=\"{x0}\" y2=\"{y}\"/>"));
        svg.Append(Inv($"<text class=\"tick\" x=\"{x0}\" y=\"{y + 16}\" text-anchor=\"middle\">0</text><text class=\"tick\" x=\"{x0 + plot}\" y=\"{y + 16}\" text-anchor=\"middle\">{max:0.#}</text>"));
        svg.Append(Inv($"<text class=\"axis-label\" x=\"{x0 + plot / 2}\" y=\"{y + 38}\" text-anchor=\"middle\">{E(valueAxis)}</text>"));
        svg.Append(Inv($"<text class=\"axis-label\" x=\"12\" y=\"{y + 38}\">{E(categoryAxis)}</text>"));
    }

    private static string Close(StringBuilder svg, string id, string title, string categoryAxis, string valueAxis, IReadOnlyList<Bar> bars)
    {
        svg.Append("</svg>\n");
        var table = new StringBuilder()
            .Append("<details><summary>The figures of this chart as a table</summary>\n<table>\n<thead><tr><th scope=\"col\">")
            .Append(E(categoryAxis)).Append("</th><th scope=\"col\">").Append(E(valueAxis)).Append("</th></tr></thead>\n<tbody>\n");
        foreach (var bar in bars)
        {
            table.Append("<tr><th scope=\"row\">").Append(E(bar.Label)).Append("</th><td>").Append(E(bar.Display)).Append("</td></tr>\n");
        }

        table.Append("</tbody>\n</table>\n</details>\n");
        return $"<figure class=\"chart\" id=\"{E(id)}\">\n<figcaption>{E(title)}</figcaption>\n{svg}{table}</figure>\n";
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
