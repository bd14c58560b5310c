using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Genie.Agent.Tests.Support;

/// <summary>
/// Records the measurements of the given instruments only (by identity), so Agent hosts of other test classes,
/// each with its own "Genie.Agent" meter, do not mix in.
/// </summary>
public sealed class MetricRecorder : IDisposable
{
    private readonly MeterListener _listener = new();

    public MetricRecorder(params Instrument[] instruments)
        : this(instruments.ToHashSet().Contains)
    {
    }

    /// <summary>Records every instrument <paramref name="wanted"/> picks (e.g. by meter and instrument name).</summary>
    public MetricRecorder(Func<Instrument, bool> wanted)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (wanted(instrument)) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.Start();
    }

    public ConcurrentQueue<Measurement> Measurements { get; } = new();

    public IReadOnlyList<Measurement> Of(Instrument instrument) => Measurements.Where(m => m.Instrument == instrument).ToList();

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        Measurements.Enqueue(new Measurement(instrument, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value)));

    public void Dispose() => _listener.Dispose();

    public sealed record Measurement(Instrument Instrument, double Value, IReadOnlyDictionary<string, object?> Tags);
}
