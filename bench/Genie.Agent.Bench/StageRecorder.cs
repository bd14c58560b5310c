using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Genie.Agent.Telemetry;
using Genie.ServiceDefaults.Telemetry;

namespace Genie.Agent.Bench;

/// <summary>
/// Where a chat's time goes inside the Agent, from the pipeline's own spans ("agent.chat" and its stage
/// children, and M.E.AI's gen_ai model span), keyed by the answer's message id so the client's timing can be joined
/// to it; and how many database commands the Agent's and Retrieval's data sources ran (Npgsql's
/// <c>db.client.operation.duration</c> metric, one measurement per command or batch).
/// </summary>
public sealed class StageRecorder : IDisposable
{
    private readonly ActivityListener _spans;
    private readonly MeterListener _meters = new();
    private readonly ConcurrentDictionary<ActivityTraceId, StageTimes> _open = new();
    private readonly ConcurrentDictionary<string, ServerChat> _chats = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _commands = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, double> _preparedRatio = new(StringComparer.Ordinal);
    private const string OperationDuration = "db.client.operation.duration";
    private const string PreparedRatio = "db.client.operation.npgsql.prepared_ratio";

    public StageRecorder()
    {
        _spans = new ActivityListener
        {
            ShouldListenTo = source => source.Name is AgentTelemetry.Name or TelemetryExtensions.GenAiSource,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = Stopped,
        };
        ActivitySource.AddActivityListener(_spans);
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Npgsql" && instrument.Name is OperationDuration or PreparedRatio) listener.EnableMeasurementEvents(instrument);
        };
        _meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            string pool = "";
            foreach (var tag in tags)
            {
                if (tag.Key == "db.client.connection.pool.name") pool = tag.Value as string ?? "";
            }
            if (instrument.Name == PreparedRatio) _preparedRatio[pool] = value;
            else _commands.AddOrUpdate(pool, 1, (_, n) => n + 1);
        });
        _meters.Start();
    }

    /// <summary>Commands run so far by the data source whose pool name (its connection string) contains <paramref name="database"/>.</summary>
    public long Commands(string database) => _commands.Where(c => c.Key.Contains(database, StringComparison.Ordinal)).Sum(c => c.Value);

    /// <summary>Npgsql's share of the commands of that data source that ran as prepared statements.</summary>
    public double PreparedShare(string database)
    {
        _meters.RecordObservableInstruments();
        return _preparedRatio.Where(r => r.Key.Contains(database, StringComparison.Ordinal)).Select(r => r.Value).DefaultIfEmpty(0).Max();
    }

    public ServerChat? Take(string messageId) => _chats.TryRemove(messageId, out var chat) ? chat : null;

    private void Stopped(Activity activity)
    {
        var times = _open.GetOrAdd(activity.TraceId, _ => new StageTimes());
        var ms = activity.Duration.TotalMilliseconds;
        switch (activity.OperationName)
        {
            case AgentTelemetry.ContextStage: times.Add(ref times.Context, ms); break;
            case AgentTelemetry.SearchStage: times.Add(ref times.Search, ms); break;
            case AgentTelemetry.StoreStage: times.Add(ref times.Store, ms); break;
            case AgentTelemetry.ChatSpan:
                _open.TryRemove(activity.TraceId, out _);
                if (activity.GetTagItem("genie.message_id") is string id)
                    _chats[id] = new ServerChat(ms, times.Context, times.Search, times.Generation, times.Store);
                break;
            default:
                if (activity.GetTagItem("gen_ai.operation.name") as string == "chat") times.Add(ref times.Generation, ms);
                break;
        }
    }

    public void Dispose()
    {
        _spans.Dispose();
        _meters.Dispose();
    }

    private sealed class StageTimes
    {
        public double Context, Search, Generation, Store;

        public void Add(ref double field, double ms)
        {
            lock (this) field += ms;
        }
    }
}

/// <summary>One chat as the Agent saw it: the handler's whole span and its stages, in milliseconds.</summary>
public sealed record ServerChat(double Total, double Context, double Search, double Generation, double Store)
{
    /// <summary>Inside the handler but in no stage: prompt building, relevance gate, stream writes, telemetry.</summary>
    public double Other => Math.Max(0, Total - Context - Search - Generation - Store);
}
