using System.Text.Json.Nodes;

namespace Genie.Testing.FakeOllama;

/// <summary>The JSON bodies of Ollama's API in its documented shapes (shared/reference/ollama.md).</summary>
internal static class FakeOllamaPayloads
{
    public const string UnknownManifest = "pull model manifest: file does not exist";

    private const string Digest = "sha256:dde5aa3fc5ffc17176b5e8bdc82f587b24b2678c6c66101bf7da77af9f7ccdff";

    public static string NotFound(string model) => $"model \"{model}\" not found, try pulling it first";

    /// <summary>One <c>/api/tags</c> entry.</summary>
    public static object Tag(string name) => new
    {
        name,
        model = name,
        modified_at = "2024-11-04T09:32:18.757212583Z",
        size = 274302450L,
        digest = Digest[7..],
        details = new { parent_model = "", format = "gguf", family = "llama", families = (string[]?)null, parameter_size = "3.2B", quantization_level = "Q4_K_M" },
    };

    /// <summary>The <c>/api/pull</c> lines after "pulling manifest": one layer downloading, then verification and success.</summary>
    public static IEnumerable<object> PullProgress()
    {
        const long total = 2_019_393_189;
        var status = $"pulling {Digest[7..19]}";
        yield return new { status, digest = Digest, total };
        foreach (var completed in new[] { total / 4, total / 2, total })
            yield return new { status, digest = Digest, total, completed };
        yield return new { status = "verifying sha256 digest" };
        yield return new { status = "writing manifest" };
        yield return new { status = "success" };
    }

    /// <summary>The assistant messages a reply streams as: a word each (spaces kept), or one tool call.</summary>
    public static IReadOnlyList<JsonObject> Chunks(FakeChatReply reply)
    {
        if (reply.ToolCall is not null)
        {
            var call = new JsonObject { ["function"] = new JsonObject { ["name"] = reply.ToolCall, ["arguments"] = new JsonObject() } };
            var message = Message("");
            message["tool_calls"] = new JsonArray(call);
            return [message];
        }
        var words = reply.Content.TrimEnd().Split(' ');
        return words.Select((word, i) => Message(i + 1 < words.Length ? word + " " : word)).ToList();
    }

    public static JsonObject Message(string content) => new() { ["role"] = "assistant", ["content"] = content };

    public static object Chunk(string model, JsonObject message) => new
    {
        model,
        created_at = DateTime.UtcNow.ToString("O"),
        message,
        done = false,
    };

    /// <summary>The last chunk of a stream (with an empty message), or the whole answer with <c>"stream": false</c>.</summary>
    public static object Done(string model, JsonObject message, int evalCount) => new
    {
        model,
        created_at = DateTime.UtcNow.ToString("O"),
        message,
        done = true,
        done_reason = "stop",
        total_duration = 4883583458L,
        load_duration = 1334875L,
        prompt_eval_count = 412,
        prompt_eval_duration = 342546000L,
        eval_count = evalCount,
        eval_duration = 4535599000L,
    };
}
