using System.Globalization;

namespace Genie.Web.Charts;

public sealed record Bar(string Label, double Value, string? Note = null);

/// <summary>
/// A horizontal bar chart drawn as inline SVG (see Pages/Shared/_BarChart.cshtml): geometry is
/// computed here, the view only prints numbers. Attributes only, no style, so the strict CSP holds.
/// Text is sized in the chart's own units, so a chart meant for a narrow card takes a smaller <c>width</c>.
/// </summary>
public sealed class BarChart
{
    public const int ValueWidth = 64;
    public const int RowHeight = 30;
    public const int BarHeight = 18;

    /// <summary>About how wide one character of a 13-unit label is.</summary>
    private const double CharWidth = 7;

    public BarChart(string id, string title, IReadOnlyList<Bar> bars, double? max = null, string unit = "", int width = 640, int labelWidth = 200)
    {
        Id = id;
        Title = title;
        Bars = bars;
        Unit = unit;
        Width = width;
        LabelWidth = labelWidth;
        Max = max ?? Math.Max(1, bars.Count == 0 ? 1 : bars.Max(b => b.Value));
    }

    public string Id { get; }
    public string Title { get; }
    public IReadOnlyList<Bar> Bars { get; }
    public double Max { get; }
    public string Unit { get; }
    public int Width { get; }
    public int LabelWidth { get; }

    public int Height => Math.Max(1, Bars.Count) * RowHeight + 8;

    public int BarSpace => Width - LabelWidth - ValueWidth;

    public double BarWidth(Bar bar) => Math.Round(Math.Clamp(bar.Value / Max, 0, 1) * BarSpace, 1);

    public static int RowY(int index) => index * RowHeight + 4;

    public string ValueText(Bar bar) => bar.Value.ToString("0.#", CultureInfo.InvariantCulture) + Unit;

    /// <summary>The same numbers as text, for screen readers and as the chart's description.</summary>
    public string Description => string.Join("; ", Bars.Select(b => $"{b.Label}: {ValueText(b)}{(b.Note is null ? "" : $" ({b.Note})")}"));

    public static string Num(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>The label cut to what fits left of the bars (the full text is in the description and the row's title).</summary>
    public string Clip(string label)
    {
        var max = (int)((LabelWidth - 12) / CharWidth);
        return label.Length <= max ? label : label[..(max - 1)] + "…";
    }
}
