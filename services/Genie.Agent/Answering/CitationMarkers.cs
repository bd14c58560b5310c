using System.Text;

namespace Genie.Agent.Answering;

/// <summary>
/// Filters [n] citation markers out of a streamed answer as it arrives: markers that point at a source
/// are kept (a list like [1, 3] becomes [1][3]) and remembered in order of first use; markers that point
/// at nothing are dropped with the space before them. Anything else in brackets passes unchanged.
/// Shown markers are numbered 1..n in order of first use (source 3 cited first shows as [1]), so a
/// reader never sees gaps like "[3] [6]"; <see cref="Used"/> maps shown number i to source Used[i-1].
/// </summary>
public sealed class CitationMarkers(int sourceCount)
{
    private const int MaxMarkerLength = 24;
    private readonly StringBuilder _pending = new();
    private readonly StringBuilder _heldSpace = new();
    private readonly List<int> _used = [];
    private bool _dropPendingSpace;

    /// <summary>Source numbers cited, in order of first use, each once: shown marker i is source Used[i - 1].</summary>
    public IReadOnlyList<int> Used => _used;

    /// <summary>Feeds a delta; returns the text that can be shown now (possibly empty).</summary>
    public string Push(string delta)
    {
        var output = new StringBuilder();
        foreach (var c in delta)
        {
            if (_pending.Length > 0)
            {
                _pending.Append(c);
                if (c == ']') Resolve(output);
                else if (!(char.IsAsciiDigit(c) || c is ',' or ' ') || _pending.Length > MaxMarkerLength) EmitPendingVerbatim(output);
                continue;
            }
            if (c == '[')
            {
                _pending.Append(c);
                continue;
            }
            if (char.IsWhiteSpace(c))
            {
                if (!(_dropPendingSpace && _heldSpace.Length > 0)) _heldSpace.Append(c);
                continue;
            }
            if (_dropPendingSpace && c is '.' or ',' or ';' or ':' or '!' or '?' or ')') _heldSpace.Clear();
            _dropPendingSpace = false;
            output.Append(_heldSpace).Append(c);
            _heldSpace.Clear();
        }
        return output.ToString();
    }

    /// <summary>The end of the answer: returns whatever was held back.</summary>
    public string Flush()
    {
        var output = new StringBuilder();
        if (_pending.Length > 0) EmitPendingVerbatim(output);
        output.Append(_heldSpace);
        _heldSpace.Clear();
        return output.ToString();
    }

    private void Resolve(StringBuilder output)
    {
        var inner = _pending.ToString(1, _pending.Length - 2);
        _pending.Clear();
        var numbers = inner.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (numbers.Length == 0 || !numbers.All(n => n.All(char.IsAsciiDigit) && n.Length is > 0 and <= 3))
        {
            output.Append(_heldSpace).Append('[').Append(inner).Append(']');
            _heldSpace.Clear();
            return;
        }
        var valid = numbers.Select(int.Parse).Where(n => n >= 1 && n <= sourceCount).Distinct().ToList();
        if (valid.Count == 0)
        {
            _dropPendingSpace = true;
            return;
        }
        output.Append(_heldSpace);
        _heldSpace.Clear();
        foreach (var n in valid)
        {
            if (!_used.Contains(n)) _used.Add(n);
            output.Append('[').Append(_used.IndexOf(n) + 1).Append(']');
        }
    }

    private void EmitPendingVerbatim(StringBuilder output)
    {
        output.Append(_heldSpace).Append(_pending);
        _heldSpace.Clear();
        _pending.Clear();
    }
}
