using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Genie.Testing.FakeOpenAi;

/// <summary>
/// A local stand-in for an OpenAI-compatible Chat Completions endpoint (<c>POST /v1/chat/completions</c>) following
/// the documented streaming shape: Server-Sent Events <c>data: {chunk}</c> with <c>object: "chat.completion.chunk"</c>,
/// the first delta carrying the role, content in <c>choices[0].delta.content</c>, a last choice chunk with an empty
/// delta and <c>finish_reason</c>, then (when the request asks <c>stream_options.include_usage</c>) a chunk with empty
/// <c>choices</c> and the <c>usage</c>, and <c>data: [DONE]</c>. Errors are <c>{"error":{"message","type","param","code"}}</c>
/// with the HTTP status (401 bad key, 404 unknown model, or <see cref="ErrorStatus"/>). Tool calls stream as
/// <c>delta.tool_calls[{index,id,type:"function",function:{name,arguments}}]</c>, the arguments in fragments, and end
/// with <c>finish_reason: "tool_calls"</c>.
/// </summary>
public sealed class FakeOpenAiServer : IAsyncDisposable
{
    public enum Behaviour
    {
        Answer,
        HttpError,
        ErrorEventMidStream,
        TruncatedMidStream,
        DropConnectionMidStream,
        CallToolThenAnswer,
    }

    private readonly LoopbackApp _app;

    private FakeOpenAiServer(LoopbackApp app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The API base URL clients are configured with (…/v1).</summary>
    public Uri Address { get; }

    public string ModelName { get; set; } = "gpt-4o-mini";

    public string ApiKey { get; set; } = "sk-test-genie";

    /// <summary>The answer streamed word by word (markers included, as a model would write them).</summary>
    public string AnswerText { get; set; } = "Getting a PIV card takes two to three weeks [1]. The background check is slowest [7].";

    public Behaviour Mode { get; set; } = Behaviour.Answer;

    public HttpStatusCode ErrorStatus { get; set; } = HttpStatusCode.InternalServerError;

    public string ToolToCall { get; set; } = "get_my_progress";

    /// <summary>The final answer, written from the last tool message's content.</summary>
    public Func<string, string> AnswerFromToolResult { get; set; } = result => result;

    public ConcurrentQueue<JsonObject> ChatRequests { get; } = new();

    public static async Task<FakeOpenAiServer> StartAsync()
    {
        FakeOpenAiServer? fake = null;
        var app = await LoopbackApp.StartAsync(routes => routes.MapPost("/v1/chat/completions", (HttpContext http) => fake!.CompletionsAsync(http)));
        fake = new FakeOpenAiServer(app, new Uri(app.Address + "/v1"));
        return fake;
    }

    private async Task CompletionsAsync(HttpContext http)
    {
        if (http.Request.Headers.Authorization.ToString() != $"Bearer {ApiKey}")
        {
            await ErrorAsync(http, HttpStatusCode.Unauthorized, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key");
            return;
        }
        if (await JsonNode.ParseAsync(http.Request.Body) is not JsonObject body || body["model"] is null || body["messages"] is null)
        {
            await ErrorAsync(http, HttpStatusCode.BadRequest, "you must provide a model parameter", "invalid_request_error", null);
            return;
        }
        ChatRequests.Enqueue(body);
        var model = body["model"]!.GetValue<string>();
        if (model != ModelName)
        {
            await ErrorAsync(http, HttpStatusCode.NotFound, $"The model `{model}` does not exist or you do not have access to it.", "invalid_request_error", "model_not_found");
            return;
        }
        if (Mode == Behaviour.HttpError)
        {
            await ErrorAsync(http, ErrorStatus, "The server had an error while processing your request. Sorry about that!", "server_error", null);
            return;
        }
        if (body["stream"]?.GetValue<bool>() != true)
        {
            await ErrorAsync(http, HttpStatusCode.BadRequest, "this fake only streams", "invalid_request_error", "stream");
            return;
        }

        var stream = new SseStream(http, model, body["stream_options"]?["include_usage"]?.GetValue<bool>() == true);
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        var ct = http.RequestAborted;
        await stream.ChunkAsync(new JsonObject { ["role"] = "assistant", ["content"] = "" }, null, ct);

        var answer = AnswerText;
        if (Mode == Behaviour.CallToolThenAnswer)
        {
            var toolResult = body["messages"]!.AsArray().OfType<JsonObject>().LastOrDefault(m => (string?)m["role"] == "tool");
            if (toolResult is null)
            {
                await stream.ToolCallAsync("call_Fa4ke0penAi", ToolToCall, ct);
                await stream.ChunkAsync(new JsonObject(), "tool_calls", ct);
                await stream.UsageAsync(310, 14, ct);
                await stream.DoneAsync(ct);
                return;
            }
            answer = AnswerFromToolResult(ContentText(toolResult["content"]));
        }

        var words = answer.Split(' ');
        for (var i = 0; i < words.Length; i++)
        {
            if (i == 3 && Mode == Behaviour.ErrorEventMidStream)
            {
                await stream.EventAsync(new JsonObject
                {
                    ["error"] = new JsonObject
                    {
                        ["message"] = "The server had an error while processing your request. Sorry about that!",
                        ["type"] = "server_error",
                        ["param"] = null,
                        ["code"] = null,
                    },
                }, ct);
                return;
            }
            if (i == 3 && Mode == Behaviour.TruncatedMidStream) return; // the response just ends: no finish_reason, no [DONE]
            if (i == 3 && Mode == Behaviour.DropConnectionMidStream)
            {
                http.Abort();
                return;
            }
            await stream.ChunkAsync(new JsonObject { ["content"] = i + 1 < words.Length ? words[i] + " " : words[i] }, null, ct);
        }
        await stream.ChunkAsync(new JsonObject(), "stop", ct);
        await stream.UsageAsync(421, words.Length, ct);
        await stream.DoneAsync(ct);
    }

    /// <summary>A tool message's content: a string, or (newer clients) an array of text parts.</summary>
    private static string ContentText(JsonNode? content) => content switch
    {
        JsonValue value => value.GetValue<string>(),
        JsonArray parts => string.Concat(parts.Select(p => (string?)p?["text"])),
        _ => "",
    };

    private static async Task ErrorAsync(HttpContext http, HttpStatusCode status, string message, string type, string? code)
    {
        http.Response.StatusCode = (int)status;
        await http.Response.WriteAsJsonAsync(new JsonObject
        {
            ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["param"] = null, ["code"] = code },
        });
    }

    private sealed class SseStream(HttpContext http, string model, bool includeUsage)
    {
        private readonly string _id = $"chatcmpl-{Guid.NewGuid():N}";
        private readonly long _created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        public Task ChunkAsync(JsonObject delta, string? finishReason, CancellationToken ct) => EventAsync(Chunk(new JsonArray
        {
            new JsonObject { ["index"] = 0, ["delta"] = delta, ["logprobs"] = null, ["finish_reason"] = finishReason },
        }), ct);

        /// <summary>A tool call as OpenAI streams it: id, type and name first, then the arguments in two fragments.</summary>
        public async Task ToolCallAsync(string id, string name, CancellationToken ct)
        {
            await ChunkAsync(new JsonObject
            {
                ["tool_calls"] = new JsonArray
                {
                    new JsonObject { ["index"] = 0, ["id"] = id, ["type"] = "function", ["function"] = new JsonObject { ["name"] = name, ["arguments"] = "" } },
                },
            }, null, ct);
            foreach (var fragment in new[] { "{", "}" })
            {
                await ChunkAsync(new JsonObject
                {
                    ["tool_calls"] = new JsonArray { new JsonObject { ["index"] = 0, ["function"] = new JsonObject { ["arguments"] = fragment } } },
                }, null, ct);
            }
        }

        public Task UsageAsync(int prompt, int completion, CancellationToken ct)
        {
            if (!includeUsage) return Task.CompletedTask;
            var chunk = Chunk([]);
            chunk["usage"] = new JsonObject
            {
                ["prompt_tokens"] = prompt,
                ["completion_tokens"] = completion,
                ["total_tokens"] = prompt + completion,
                ["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = 0 },
                ["completion_tokens_details"] = new JsonObject { ["reasoning_tokens"] = 0 },
            };
            return EventAsync(chunk, ct);
        }

        public Task DoneAsync(CancellationToken ct) => WriteAsync("data: [DONE]\n\n", ct);

        public Task EventAsync(JsonObject value, CancellationToken ct) => WriteAsync($"data: {value.ToJsonString()}\n\n", ct);

        private JsonObject Chunk(JsonArray choices)
        {
            var chunk = new JsonObject
            {
                ["id"] = _id,
                ["object"] = "chat.completion.chunk",
                ["created"] = _created,
                ["model"] = model,
                ["system_fingerprint"] = "fp_genie_fake",
                ["choices"] = choices,
            };
            // With include_usage every chunk carries "usage": null except the last one.
            if (includeUsage) chunk["usage"] = null;
            return chunk;
        }

        private async Task WriteAsync(string text, CancellationToken ct)
        {
            await http.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), ct);
            await http.Response.Body.FlushAsync(ct);
        }
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
