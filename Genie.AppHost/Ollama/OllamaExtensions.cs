using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Genie.AppHost.Ollama;

public static class OllamaExtensions
{
    public const string PullCommand = "pull-models";

    /// <summary>Probe for a local Ollama; models from <c>Genie:Ollama:ChatModel</c> / <c>Genie:Ollama:EmbeddingModel</c>.</summary>
    public static IResourceBuilder<OllamaResource> AddOllama(this IDistributedApplicationBuilder builder, string name)
    {
        var configured = builder.Configuration[OllamaResource.UrlKey];
        var url = new Uri(AppendSlash(string.IsNullOrWhiteSpace(configured) ? OllamaResource.DefaultUrl : configured));
        var resource = new OllamaResource(name, url,
            builder.Configuration[OllamaResource.ChatModelKey] ?? OllamaResource.DefaultChatModel,
            builder.Configuration[OllamaResource.EmbeddingModelKey] ?? OllamaResource.DefaultEmbeddingModel);
        return builder.AddResource(resource)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "Ollama",
                State = KnownResourceStates.NotStarted,
                Properties = [new("models", $"{resource.ChatModel}, {resource.EmbeddingModel}")],
                Urls = [new("api", url.ToString(), IsInternal: false)],
            })
            .WithIconName("BrainCircuit")
            .OnInitializeResource(async (ollama, e, cancellationToken) =>
                ollama.Decide(await ProvisionAsync(ollama, e.Notifications, e.Logger, cancellationToken)))
            .WithCommand(PullCommand, "Pull models", async context =>
            {
                var notifications = context.Services.GetRequiredService<ResourceNotificationService>();
                var logger = context.Services.GetRequiredService<ResourceLoggerService>().GetLogger(resource);
                return await ProvisionAsync(resource, notifications, logger, context.CancellationToken)
                    ? CommandResults.Success()
                    : CommandResults.Failure($"Ollama at {resource.Url} could not provide {resource.ChatModel} and {resource.EmbeddingModel}; see the log.");
            }, new CommandOptions { IconName = "ArrowDownload", Description = "Pull the chat and embedding models again" });
    }

    /// <summary>Pass Ollama's URL and models to the project once the probe is done (nothing when the built-in models are used).</summary>
    public static IResourceBuilder<ProjectResource> WithReference(this IResourceBuilder<ProjectResource> project, IResourceBuilder<OllamaResource> ollama) =>
        project.WithEnvironment(context => ollama.Resource.AddEnvironmentAsync(context.EnvironmentVariables, context.CancellationToken));

    /// <summary>True when Ollama answers and has both models (pulling the missing ones, progress in the state and the log).</summary>
    private static async Task<bool> ProvisionAsync(OllamaResource ollama, ResourceNotificationService notifications, ILogger logger, CancellationToken cancellationToken)
    {
        await notifications.PublishUpdateAsync(ollama, s => s with { State = KnownResourceStates.Starting });
        var api = new OllamaApi(ollama.Url);
        if (!await api.AnswersAsync(cancellationToken))
        {
            logger.LogInformation("No Ollama answers at {Url}; the services use their built-in models.", ollama.Url);
            await BuiltInAsync();
            return false;
        }
        try
        {
            var installed = await api.ListModelsAsync(cancellationToken);
            foreach (var model in new[] { ollama.ChatModel, ollama.EmbeddingModel }.Distinct().Where(m => !OllamaApi.Contains(installed, m)))
            {
                logger.LogInformation("Pulling {Model}", model);
                var lastTenth = -1L;
                await api.PullAsync(model, async status =>
                {
                    if (status is not { Total: > 0, Completed: { } completed })
                        return;
                    var percent = completed * 100 / status.Total.Value;
                    if (percent / 10 == lastTenth)
                        return;
                    lastTenth = percent / 10;
                    logger.LogInformation("Pulling {Model}: {Percent}% of {MiB} MiB", model, percent, status.Total.Value / (1024 * 1024));
                    await notifications.PublishUpdateAsync(ollama, s => s with { State = new ResourceStateSnapshot($"Pulling {model} {percent}%", KnownResourceStateStyles.Info) });
                }, cancellationToken);
                logger.LogInformation("Pulled {Model}", model);
            }
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or JsonException)
        {
            logger.LogWarning("Ollama at {Url} could not provide {ChatModel} and {EmbeddingModel} ({Reason}); the services use their built-in models.",
                ollama.Url, ollama.ChatModel, ollama.EmbeddingModel, e.Message);
            await BuiltInAsync();
            return false;
        }
        logger.LogInformation("Using {Url} with {ChatModel} and {EmbeddingModel}", ollama.Url, ollama.ChatModel, ollama.EmbeddingModel);
        await notifications.PublishUpdateAsync(ollama, s => s with { State = KnownResourceStates.Running, StartTimeStamp = DateTime.UtcNow });
        return true;

        Task BuiltInAsync() => notifications.PublishUpdateAsync(ollama, s => s with
        {
            State = new ResourceStateSnapshot(OllamaResource.BuiltInModelsState, KnownResourceStateStyles.Info),
        });
    }

    private static string AppendSlash(string url) => url.EndsWith('/') ? url : url + "/";
}
