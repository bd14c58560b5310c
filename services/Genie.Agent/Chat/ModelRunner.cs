using System.Diagnostics;
using System.Globalization;
using System.Text;
using Genie.Agent.Answering;
using Genie.Agent.Models;
using Genie.Agent.Telemetry;
using Microsoft.Extensions.AI;

namespace Genie.Agent.Chat;

/// <summary>
/// Streams an answer from a bot's model through the citation-marker filter, enforcing the bot's
/// first-token and total timeouts. A model that fails, times out or says nothing is replaced by the
/// built-in answerer on the same prompt, with the reason announced first. Client cancellation is not a
/// failure: what was said so far is returned, marked incomplete.
/// </summary>
public sealed class ModelRunner(ModelCatalog models, AgentTelemetry telemetry, TimeProvider time)
{
    public delegate Task DeltaSink(string text);

    public delegate Task FallbackSink(string reason, string model);

    public async Task<Generation> GenerateAsync(
        BotModel model, IList<ChatMessage> prompt, int sourceCount, DeltaSink onDelta, FallbackSink onFallback, CancellationToken callCancelled)
    {
        var started = time.GetTimestamp();
        var attempt = await AttemptAsync(model, prompt, sourceCount, onDelta, started, callCancelled);
        if (attempt.Failure is null || model.IsBuiltin) return attempt.Result;

        var builtin = models.Builtin;
        try
        {
            await onFallback(attempt.Failure, builtin.DisplayName);
        }
        catch (Exception) when (callCancelled.IsCancellationRequested)
        {
            return attempt.Result with { Incomplete = true, FallbackReason = attempt.Failure };
        }
        var fallback = await AttemptAsync(builtin, prompt, sourceCount, onDelta, started, callCancelled);
        return fallback.Result with { FallbackReason = attempt.Failure };
    }

    private sealed record Attempt(Generation Result, string? Failure);

    private async Task<Attempt> AttemptAsync(
        BotModel model, IList<ChatMessage> prompt, int sourceCount, DeltaSink onDelta, long started, CancellationToken callCancelled)
    {
        using var activity = AgentTelemetry.Source.StartActivity($"chat {model.Model}", ActivityKind.Client);
        activity?.SetTag("gen_ai.operation.name", "chat");
        activity?.SetTag("gen_ai.system", model.Provider);
        activity?.SetTag("gen_ai.request.model", model.Model);
        if (!model.IsBuiltin && model.Options.Temperature is { } temperature) activity?.SetTag("gen_ai.request.temperature", temperature);

        var markers = new CitationMarkers(sourceCount);
        var text = new StringBuilder();
        int? inputTokens = null, outputTokens = null;
        string? responseModel = null;
        TimeSpan? firstDelta = null;
        using var firstTokenDeadline = new CancellationTokenSource();
        using var totalDeadline = new CancellationTokenSource();
        if (!model.IsBuiltin)
        {
            firstTokenDeadline.CancelAfter(Seconds(model.Options.FirstTokenTimeoutSeconds));
            totalDeadline.CancelAfter(Seconds(model.Options.TimeoutSeconds));
        }
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(callCancelled, firstTokenDeadline.Token, totalDeadline.Token);
        var options = new ChatOptions
        {
            ModelId = model.IsBuiltin ? null : model.Model,
            Temperature = model.Options.Temperature,
            MaxOutputTokens = model.Options.MaxOutputTokens,
        };

        string? failure = null;
        try
        {
            await foreach (var update in model.Client.GetStreamingResponseAsync(prompt, options, linked.Token))
            {
                responseModel ??= update.ModelId;
                foreach (var usage in update.Contents.OfType<UsageContent>())
                {
                    inputTokens = (int?)usage.Details.InputTokenCount ?? inputTokens;
                    outputTokens = (int?)usage.Details.OutputTokenCount ?? outputTokens;
                }
                if (update.FinishReason is { } finish) activity?.SetTag("gen_ai.response.finish_reasons", new[] { finish.Value });
                var piece = update.Text;
                if (piece.Length == 0) continue;
                if (firstDelta is null)
                {
                    firstDelta = time.GetElapsedTime(started);
                    firstTokenDeadline.CancelAfter(Timeout.InfiniteTimeSpan);
                }
                text.Append(piece);
                var visible = markers.Push(piece);
                if (visible.Length > 0) await onDelta(visible);
            }
            var rest = markers.Flush();
            if (rest.Length > 0) await onDelta(rest);
            if (text.Length == 0 && !model.IsBuiltin) failure = $"{model.DisplayName} returned an empty answer";
        }
        catch (Exception) when (callCancelled.IsCancellationRequested)
        {
            return new Attempt(Result(markers, model, responseModel, inputTokens, outputTokens, incomplete: true, firstDelta, activity), null);
        }
        catch (OperationCanceledException) when (firstTokenDeadline.IsCancellationRequested)
        {
            failure = $"{model.DisplayName} sent nothing within {model.Options.FirstTokenTimeoutSeconds.ToString(CultureInfo.InvariantCulture)} s";
        }
        catch (OperationCanceledException) when (totalDeadline.IsCancellationRequested)
        {
            failure = $"{model.DisplayName} did not finish within {model.Options.TimeoutSeconds.ToString(CultureInfo.InvariantCulture)} s";
        }
        catch (Exception e) when (!model.IsBuiltin)
        {
            failure = $"{model.DisplayName} failed: {Describe(e)}";
        }

        if (failure is not null)
        {
            activity?.SetStatus(ActivityStatusCode.Error, failure);
            activity?.SetTag("error.type", "model_failure");
        }
        return new Attempt(Result(markers, model, responseModel, inputTokens, outputTokens, incomplete: false, firstDelta, activity), failure);

        Generation Result(CitationMarkers m, BotModel bm, string? respModel, int? input, int? output, bool incomplete, TimeSpan? first, Activity? span)
        {
            span?.SetTag("gen_ai.response.model", respModel ?? bm.Model);
            if (input is not null)
            {
                span?.SetTag("gen_ai.usage.input_tokens", input);
                telemetry.TokenUsage.Record(input.Value, Tags(bm, "input"));
            }
            if (output is not null)
            {
                span?.SetTag("gen_ai.usage.output_tokens", output);
                telemetry.TokenUsage.Record(output.Value, Tags(bm, "output"));
            }
            var shown = CitationText(text.ToString(), sourceCount);
            return new Generation(shown, m.Used, bm.DisplayName, input, output, null, incomplete, first);
        }
    }

    /// <summary>The stored text is exactly what the user saw: the model's text run through a fresh marker filter.</summary>
    private static string CitationText(string raw, int sourceCount)
    {
        var filter = new CitationMarkers(sourceCount);
        return filter.Push(raw) + filter.Flush();
    }

    private static KeyValuePair<string, object?>[] Tags(BotModel model, string tokenType) =>
    [
        new("gen_ai.system", model.Provider),
        new("gen_ai.request.model", model.Model),
        new("gen_ai.token.type", tokenType),
    ];

    private static TimeSpan Seconds(double seconds) => TimeSpan.FromSeconds(Math.Max(0.05, seconds));

    private static string Describe(Exception e) => e switch
    {
        HttpRequestException { StatusCode: null } => $"cannot reach the model server ({e.Message})",
        _ => e.Message,
    };
}
