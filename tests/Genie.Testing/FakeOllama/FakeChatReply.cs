namespace Genie.Testing.FakeOllama;

/// <summary>What the fake model answers one chat request with: text (streamed a word per chunk) or a call of one tool.</summary>
public sealed record FakeChatReply(string Content, string? ToolCall = null)
{
    public static FakeChatReply Text(string content) => new(content);

    /// <summary>A native Ollama tool call: <c>message.tool_calls[0].function</c> with this name and <c>arguments: {}</c>.</summary>
    public static FakeChatReply CallTool(string name) => new("", name);
}
