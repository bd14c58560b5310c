namespace Genie.Agent.Models;

/// <summary>Which model answers for one bot. Config: <c>Genie:Agent:Bots:&lt;bot&gt;:*</c>.</summary>
public sealed class BotModelOptions
{
    /// <summary>"builtin" (no model), "ollama" (native /api/chat) or "openai" (any OpenAI-compatible endpoint).</summary>
    public string Provider { get; set; } = "builtin";

    public string Model { get; set; } = "";

    /// <summary>Base URL: Ollama's (default http://localhost:11434) or the OpenAI-compatible API's (…/v1).</summary>
    public string? Endpoint { get; set; }

    public string? ApiKey { get; set; }

    /// <summary>The whole generation must finish within this time, else the built-in answer replaces it.</summary>
    public double TimeoutSeconds { get; set; } = 60;

    /// <summary>The first token must arrive within this time (a model still loading counts against it).</summary>
    public double FirstTokenTimeoutSeconds { get; set; } = 30;

    public float? Temperature { get; set; } = 0.2f;

    /// <summary>Ollama context size; set explicitly because Ollama silently truncates longer prompts.</summary>
    public int? NumCtx { get; set; } = 8192;

    public int? MaxOutputTokens { get; set; }
}

/// <summary>Agent-wide settings. Config: <c>Genie:Agent:*</c>.</summary>
public sealed class AgentOptions
{
    public Dictionary<string, BotModelOptions> Bots { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Passages requested from Retrieval per question.</summary>
    public int SearchTopK { get; set; } = 6;

    /// <summary>Share of the question's (rarity-weighted) terms a passage must contain to count as relevant.</summary>
    public double MinCoverage { get; set; } = 0.5;

    /// <summary>Minimum Retrieval score for a passage to count, in Retrieval's own scale; 0 keeps all.</summary>
    public double MinScore { get; set; }

    /// <summary>Messages kept verbatim in the prompt; older ones are folded into the rolling summary.</summary>
    public int RecentMessages { get; set; } = 6;

    /// <summary>
    /// The local Ollama the AppHost found (<c>Genie:Ollama:Url</c>, <c>Genie:Ollama:ChatModel</c>): the model of
    /// every bot that names no provider of its own. Null when none answered: built-in answers.
    /// </summary>
    public BotModelOptions? LocalOllama { get; set; }

    public BotModelOptions For(string bot) =>
        Bots.TryGetValue(bot, out var options) ? options : LocalOllama ?? new BotModelOptions();
}
