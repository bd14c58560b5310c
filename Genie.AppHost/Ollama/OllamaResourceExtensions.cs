using Genie.AppHost.Hosting;

namespace Genie.AppHost.Ollama;

public static class OllamaResourceExtensions
{
    /// <summary>Probe for a local Ollama; models from <c>Genie:Ollama:ChatModel</c> / <c>Genie:Ollama:EmbeddingModel</c>.</summary>
    public static ResourceBuilder<OllamaResource> AddOllama(this DistributedApplicationBuilder builder, string name) =>
        builder.AddResource(new OllamaResource(name));
}
