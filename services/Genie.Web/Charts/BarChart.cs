using System.Globalization;

namespace Genie.Web.Charts;

public sealed record Bar(string Label, double Value, string? Note = null);

/// <summary>
/// A horizontal bar chart drawn as inline SVG (see Pages/Shared/_BarChart.cshtml): geometry is
/// computed here, the view only prints numbers. Attributes only, no style, so the strict CSP holds.
/// </summary>
public sealed class BarChart
{
    public const int Width = 640;
    public const int LabelWidth = 200;
    public const int ValueWidth = 64;
    public const int RowHeight = 30;
    public const int BarHeight = 18;

    public BarChart(string id, string title, IReadOnlyList<Bar> bars, double? max = null, string unit = "")
    {
        Id = id;
        Title = title;
        Bars = bars;
        Unit = unit;
        Max = max ?? Math.Max(1, bars.Count == 0 ? 1 : bars.Max(b => b.Value));
    }

    public string Id { get; }
    public string Title { get; }
    public IReadOnlyList<Bar> Bars { get; }
    public double Max { get; }
    public string Unit { get; }

    public int Height => Math.Max(1, Bars.Count) * RowHeight + 8;

    public static int BarSpace => Width - LabelWidth - ValueWidth;

    public double BarWidth(Bar bar) => Math.Round(Math.Clamp(bar.Value / Max, 0, 1) * BarSpace, 1);

    public static int RowY(int index) => index * RowHeight + 4;

    public string ValueText(Bar bar) => bar.Value.ToString("0.#", CultureInfo.InvariantCulture) + Unit;

    /// <summary>The same numbers as text, for screen readers and as the chart's description.</summary>
    public string Description => string.Join("; ", Bars.Select(b => $"{b.Label}: {ValueText(b)}{(b.Note is null ? "" : $" ({b.Note})")}"));

    public static string Num(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    public static string Clip(string label, int max = 28) => label.Length <= max ? label : label[..(max - 1)] + "…";
}
