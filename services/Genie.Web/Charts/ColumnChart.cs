using System.Globalization;

namespace Genie.Web.Charts;

/// <param name="Label">What the column is, in full (e.g. the day "2025-05-01").</param>
/// <param name="Tick">The short label under the axis; empty to leave the column unlabelled.</param>
public sealed record Column(string Label, string Tick, double Value);

/// <summary>
/// A vertical column chart (one column per day, say) drawn as inline SVG (see Pages/Shared/_ColumnChart.cshtml):
/// geometry is computed here, the view only prints numbers. Attributes only, no style, so the strict CSP holds.
/// </summary>
public sealed class ColumnChart
{
    // Sized for a half-width card: at about 450 pixels the 13-unit text reads at about 13 pixels.
    public const int Width = 480;
    public const int Height = 200;
    public const int AxisWidth = 32;
    public const int RightPad = 20;
    public const int TopPad = 10;
    public const int BottomPad = 26;
    public const int PlotHeight = Height - TopPad - BottomPad;
    public const int PlotWidth = Width - AxisWidth - RightPad;

    public ColumnChart(string id, string title, IReadOnlyList<Column> columns, string unit)
    {
        Id = id;
        Title = title;
        Columns = columns;
        Unit = unit;
        Max = NiceCeiling(columns.Count == 0 ? 0 : columns.Max(c => c.Value));
    }

    public string Id { get; }
    public string Title { get; }
    public IReadOnlyList<Column> Columns { get; }

    /// <summary>What one unit of value is, for the tooltips and the description ("questions").</summary>
    public string Unit { get; }

    /// <summary>The top of the value axis: the largest value rounded up to 1, 2, 4, 6 or 8 times a power of ten, at least 2 (so the half line is a whole number).</summary>
    public double Max { get; }

    public double Slot => (double)PlotWidth / Math.Max(1, Columns.Count);

    public double ColumnWidth => Math.Max(1, Math.Round(Slot * 0.7, 1));

    public double X(int index) => Math.Round(AxisWidth + index * Slot + (Slot - ColumnWidth) / 2, 1);

    public double ColumnHeight(Column column) => Math.Round(Math.Clamp(column.Value / Max, 0, 1) * PlotHeight, 1);

    public double Y(Column column) => TopPad + PlotHeight - ColumnHeight(column);

    public static int Baseline => TopPad + PlotHeight;

    /// <summary>Gridlines with their values: zero, half and the top.</summary>
    public IReadOnlyList<(double Y, string Label)> Gridlines =>
        new[] { 0, 0.5, 1 }.Select(f => (Math.Round(TopPad + PlotHeight * (1 - f), 1), Num(Max * f))).ToList();

    public string Tooltip(Column column) => $"{column.Label}: {Num(column.Value)} {Unit}";

    /// <summary>The same numbers as text, for screen readers and as the chart's description.</summary>
    public string Description => string.Join("; ", Columns.Select(c => $"{c.Label}: {Num(c.Value)}"));

    public static string Num(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static double NiceCeiling(double value)
    {
        if (value <= 2) return 2;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (var step in new[] { 1, 2, 4, 6, 8, 10 })
        {
            if (step * magnitude >= value)
                return step * magnitude;
        }
        return 10 * magnitude;
    }
}
