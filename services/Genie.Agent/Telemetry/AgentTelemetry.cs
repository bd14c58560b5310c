using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Genie.Agent.Telemetry;

/// <summary>The Agent's activity source and meter ("Genie.Agent"); model calls are traced and metered by M.E.AI's UseOpenTelemetry (gen_ai.* conventions).</summary>
public sealed class AgentTelemetry : IDisposable
{
    public const string Name = "Genie.Agent";
    public static readonly ActivitySource Source = new(Name);

    // Child spans of "agent.chat", one per stage of the answering pipeline.
    public const string ChatSpan = "agent.chat";
    public const string ContextStage = "agent.chat.context";
    public const string SearchStage = "agent.chat.search";
    public const string StoreStage = "agent.chat.store";

    private readonly Meter _meter = new(Name);

    public AgentTelemetry()
    {
        AnswerLatency = _meter.CreateHistogram<double>("genie.agent.answer.duration", "s", "Time from question to the stored answer.");
        TimeToFirstToken = _meter.CreateHistogram<double>("genie.agent.answer.time_to_first_token", "s", "Time from question to the first answer delta.");
        Answers = _meter.CreateCounter<long>("genie.agent.answers", "{answer}", "Answers given, tagged not_covered=true|false, fallback, incomplete.");
        FeedbackCount = _meter.CreateCounter<long>("genie.agent.feedback", "{feedback}", "Feedback received, tagged rating=up|down.");
    }

    public Histogram<double> AnswerLatency { get; }

    public Histogram<double> TimeToFirstToken { get; }

    /// <summary>"Don't know" rate = answers{not_covered=true} / answers.</summary>
    public Counter<long> Answers { get; }

    /// <summary>Feedback ratio = feedback{rating=up} / feedback.</summary>
    public Counter<long> FeedbackCount { get; }

    public void Dispose() => _meter.Dispose();
}
