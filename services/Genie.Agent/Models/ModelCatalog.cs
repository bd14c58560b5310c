using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace Genie.Agent.Models;

/// <summary>A bot's configured model, ready to call.</summary>
public sealed record BotModel(IChatClient Client, string Provider, string Model, BotModelOptions Options)
{
    public bool IsBuiltin => Provider == "builtin";

    public string DisplayName => IsBuiltin ? BuiltinChatClient.ModelId : $"{Provider}/{Model}";
}

/// <summary>Builds (once) the model client each bot is configured with; the built-in answerer is always at hand for fallback.</summary>
public sealed class ModelCatalog(IOptions<AgentOptions> options, IHttpClientFactory httpClients)
{
    public const string OllamaHttpClient = "ollama";
    private readonly ConcurrentDictionary<string, BotModel> _models = new(StringComparer.OrdinalIgnoreCase);

    public BotModel Builtin { get; } = new(new BuiltinChatClient(), "builtin", BuiltinChatClient.ModelId, new BotModelOptions());

    public BotModel For(string bot) => _models.GetOrAdd(bot, Create);

    private BotModel Create(string bot)
    {
        var config = options.Value.For(bot);
        switch (config.Provider.ToLowerInvariant())
        {
            case "builtin":
                return Builtin;
            case "ollama":
            {
                var http = httpClients.CreateClient(OllamaHttpClient);
                http.BaseAddress = new Uri(WithSlash(config.Endpoint ?? "http://localhost:11434"));
                http.Timeout = Timeout.InfiniteTimeSpan; // the pipeline enforces the bot's own timeouts
                return new BotModel(new OllamaChatClient(http, RequireModel(bot, config), config.NumCtx), "ollama", config.Model, config);
            }
            case "openai":
            {
                var endpoint = string.IsNullOrWhiteSpace(config.Endpoint) ? null : new Uri(config.Endpoint);
                var client = new OpenAiChatClient(RequireModel(bot, config), config.ApiKey ?? "", endpoint, TimeSpan.FromSeconds(config.TimeoutSeconds));
                return new BotModel(client, "openai", config.Model, config);
            }
            default:
                throw new InvalidOperationException($"Genie:Agent:Bots:{bot}:Provider '{config.Provider}' is not one of builtin, ollama, openai.");
        }
    }

    private static string RequireModel(string bot, BotModelOptions config) =>
        string.IsNullOrWhiteSpace(config.Model)
            ? throw new InvalidOperationException($"Genie:Agent:Bots:{bot}:Model is required for provider {config.Provider}.")
            : config.Model;

    private static string WithSlash(string url) => url.EndsWith('/') ? url : url + "/";
}
