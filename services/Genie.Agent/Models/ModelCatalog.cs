using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Concurrent;
using Genie.ServiceDefaults.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using OllamaSharp;
using OllamaSharp.Models;
using OpenAI;

namespace Genie.Agent.Models;

/// <summary>A bot's configured model, ready to call.</summary>
public sealed record BotModel(IChatClient Client, string Provider, string Model, BotModelOptions Options)
{
    public bool IsBuiltin => Provider == "builtin";

    public string DisplayName => IsBuiltin ? Model : $"{Provider}/{Model}";
}

/// <summary>
/// Builds (once) the model client each bot is configured with: OllamaSharp's <see cref="OllamaApiClient"/> or
/// Microsoft.Extensions.AI.OpenAI's client, composed with M.E.AI's pipeline (tool calls run by
/// <c>UseFunctionInvocation</c>, gen_ai spans and metrics by <c>UseOpenTelemetry</c>, <c>UseLogging</c>).
/// The built-in answerer is always at hand for fallback.
/// </summary>
public sealed class ModelCatalog(IOptions<AgentOptions> options, IHttpClientFactory httpClients, ILoggerFactory loggers)
{
    /// <summary>Rounds of tool calls a model may make for one answer before it must answer in text.</summary>
    public const int MaxToolRounds = 4;

    private readonly ConcurrentDictionary<string, BotModel> _models = new(StringComparer.OrdinalIgnoreCase);
    private BotModel? _builtin;

    public BotModel Builtin => _builtin ??= new(Compose(new BuiltinChatClient()), "builtin", BuiltinChatClient.ModelId, new BotModelOptions());

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
                var http = httpClients.CreateClient(ExternalHttpClients.Ollama);
                http.BaseAddress = new Uri(WithSlash(config.Endpoint ?? "http://localhost:11434"));
                var ollama = Compose(new CancellableOllamaClient(http, RequireModel(bot, config)), chat =>
                {
                    // Ollama silently drops the front of a prompt longer than its context: state the size.
                    if (config.NumCtx is { } numCtx) chat.AddOllamaOption(OllamaOption.NumCtx, numCtx);
                });
                return new BotModel(ollama, "ollama", config.Model, config);
            }
            case "openai":
            {
                var client = new OpenAIClient(
                    // OpenAI-compatible servers that ignore keys still need a non-empty one.
                    new ApiKeyCredential(string.IsNullOrEmpty(config.ApiKey) ? "unused" : config.ApiKey),
                    new OpenAIClientOptions
                    {
                        Endpoint = string.IsNullOrWhiteSpace(config.Endpoint) ? null : new Uri(config.Endpoint),
                        Transport = new HttpClientPipelineTransport(httpClients.CreateClient(ExternalHttpClients.OpenAi)),
                        NetworkTimeout = TimeSpan.FromSeconds(config.TimeoutSeconds),
                        // A failed request falls back to the built-in answer at once; the HttpClient's resilience handler
                        // retries what is safe to retry (never a generation).
                        RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
                    });
                return new BotModel(Compose(client.GetChatClient(RequireModel(bot, config)).AsIChatClient()), "openai", config.Model, config);
            }
            default:
                throw new InvalidOperationException($"Genie:Agent:Bots:{bot}:Provider '{config.Provider}' is not one of builtin, ollama, openai.");
        }
    }

    private IChatClient Compose(IChatClient client, Action<ChatOptions>? providerOptions = null)
    {
        var builder = client.AsBuilder()
            .UseFunctionInvocation(loggers, invoker => invoker.MaximumIterationsPerRequest = MaxToolRounds)
            .UseOpenTelemetry(loggers)
            .UseLogging(loggers);
        if (providerOptions is not null)
            builder.ConfigureOptions(providerOptions);
        return builder.Build();
    }

    private static string RequireModel(string bot, BotModelOptions config) =>
        string.IsNullOrWhiteSpace(config.Model)
            ? throw new InvalidOperationException($"Genie:Agent:Bots:{bot}:Model is required for provider {config.Provider}.")
            : config.Model;

    private static string WithSlash(string url) => url.EndsWith('/') ? url : url + "/";
}
