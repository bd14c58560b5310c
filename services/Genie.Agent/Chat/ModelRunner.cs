using System.ClientModel;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Genie.Agent.Answering;
using Genie.Agent.Models;
using Microsoft.Extensions.AI;

namespace Genie.Agent.Chat;

/// <summary>
/// Streams an answer from a bot's model through the citation-marker filter, enforcing the bot's
/// first-token and total timeouts. A model that fails, times out, stops before it finished or says nothing is
/// replaced by the built-in answerer on the same prompt, with the reason announced first. Client cancellation is
/// not a failure: what was said so far is returned, marked incomplete. Tools are run by the model's pipeline
/// (<see cref="ModelCatalog"/>), their rounds' token counts add up here.
/// </summary>
public sealed class ModelRunner(ModelCatalog models, TimeProvider time)
{
    public delegate Task DeltaSink(string text);

    public delegate Task FallbackSink(string reason, string model);

    /// <param name="tools">Functions the model may call; ignored for built-in models.</param>
    /// <param name="fallback">What answers when the model fails; default the built-in extractive answerer.</param>
    /// <param name="meaning">Lets the built-in answerer score sentences by meaning (given to built-in models only).</param>
    public async Task<Generation> GenerateAsync(
        BotModel model, IList<ChatMessage> prompt, int sourceCount, DeltaSink onDelta, FallbackSink onFallback, CancellationToken callCancelled,
        IReadOnlyList<AIFunction>? tools = null, BotModel? fallback = null, SentenceMeaning? meaning = null)
    {
        var started = time.GetTimestamp();
        var attempt = await AttemptAsync(model, prompt, sourceCount, onDelta, started, callCancelled, model.IsBuiltin ? null : tools, meaning);
        if (attempt.Failure is null || model.IsBuiltin) return attempt.Result;

        var builtin = fallback ?? models.Builtin;
        try
        {
            await onFallback(attempt.Failure, builtin.DisplayName);
        }
        catch (Exception) when (callCancelled.IsCancellationRequested)
        {
            return attempt.Result with { Incomplete = true, FallbackReason = attempt.Failure };
        }
        var replacement = await AttemptAsync(builtin, prompt, sourceCount, onDelta, started, callCancelled, null, meaning);
        return replacement.Result with { FallbackReason = attempt.Failure };
    }

    private sealed record Attempt(Generation Result, string? Failure);

    private async Task<Attempt> AttemptAsync(
        BotModel model, IList<ChatMessage> prompt, int sourceCount, DeltaSink onDelta, long started, CancellationToken callCancelled,
        IReadOnlyList<AIFunction>? tools, SentenceMeaning? meaning)
    {
        var markers = new CitationMarkers(sourceCount);
        var text = new StringBuilder();
        int? inputTokens = null, outputTokens = null;
        TimeSpan? firstDelta = null;
        var finished = false;
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
            Tools = tools is { Count: > 0 } ? [.. tools] : null,
            AdditionalProperties = model.IsBuiltin && meaning is not null ? new() { [SentenceMeaning.OptionKey] = meaning } : null,
        };

        string? failure = null;
        try
        {
            await foreach (var update in model.Client.GetStreamingResponseAsync(prompt, options, linked.Token))
            {
                // A tool call is the model's first word: it is alive, the tools now take their time.
                if (update.Contents.Any(c => c is FunctionCallContent)) firstTokenDeadline.CancelAfter(Timeout.InfiniteTimeSpan);
                foreach (var usage in update.Contents.OfType<UsageContent>())
                {
                    // Tool rounds are separate requests: their token counts add up.
                    if (usage.Details.InputTokenCount is { } input) inputTokens = (inputTokens ?? 0) + (int)input;
                    if (usage.Details.OutputTokenCount is { } output) outputTokens = (outputTokens ?? 0) + (int)output;
                }
                finished |= update.FinishReason is not null;
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
            // Every completed answer ends with a finish reason; a stream that stops without one was cut off
            // (a dropped connection, or an error event in place of the rest of the answer).
            // A client may end the stream quietly when a deadline cancels it: then the deadline is the reason.
            if (!model.IsBuiltin && !finished) failure = DeadlinePassed() ?? $"{model.DisplayName} failed: the stream ended before the model finished its answer";
            else if (text.Length == 0 && !model.IsBuiltin) failure = $"{model.DisplayName} returned an empty answer";
        }
        catch (Exception) when (callCancelled.IsCancellationRequested)
        {
            return new Attempt(Result(incomplete: true), null);
        }
        // A deadline that passed is the reason, whatever the interrupted read threw.
        catch (Exception) when (DeadlinePassed() is { } passed)
        {
            failure = passed;
        }
        catch (Exception e) when (!model.IsBuiltin)
        {
            failure = $"{model.DisplayName} failed: {Describe(e)}";
        }
        return new Attempt(Result(incomplete: false), failure);

        string? DeadlinePassed() =>
            firstTokenDeadline.IsCancellationRequested
                ? $"{model.DisplayName} sent nothing within {model.Options.FirstTokenTimeoutSeconds.ToString(CultureInfo.InvariantCulture)} s"
                : totalDeadline.IsCancellationRequested
                    ? $"{model.DisplayName} did not finish within {model.Options.TimeoutSeconds.ToString(CultureInfo.InvariantCulture)} s"
                    : null;

        Generation Result(bool incomplete) =>
            new(CitationText(text.ToString(), sourceCount), markers.Used, model.DisplayName, inputTokens, outputTokens, null, incomplete, firstDelta);
    }

    /// <summary>The stored text is exactly what the user saw: the model's text run through a fresh marker filter.</summary>
    private static string CitationText(string raw, int sourceCount)
    {
        var filter = new CitationMarkers(sourceCount);
        return filter.Push(raw) + filter.Flush();
    }

    private static TimeSpan Seconds(double seconds) => TimeSpan.FromSeconds(Math.Max(0.05, seconds));

    private static string Describe(Exception e) => e switch
    {
        HttpRequestException { StatusCode: null } => $"cannot reach the model server ({e.Message})",
        ClientResultException result => $"the server answered {result.Status}: {ServerMessage(result)}",
        _ => e.Message,
    };

    /// <summary>The <c>error.message</c> of an OpenAI error body, else the start of whatever the server sent.</summary>
    private static string ServerMessage(ClientResultException e)
    {
        var body = e.GetRawResponse()?.Content?.ToString() ?? "";
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object &&
                error.TryGetProperty("message", out var message) && message.GetString() is { Length: > 0 } text)
                return text;
        }
        catch (JsonException)
        {
        }
        return body.Length == 0 ? e.Message.Split('\n')[0] : body.Length > 300 ? body[..300] : body;
    }
}
