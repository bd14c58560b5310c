namespace Genie.AppHost.Ollama;

/// <summary>
/// A local Ollama, when one answers at <c>Genie:Ollama:Url</c> (default http://127.0.0.1:11434): the
/// configured chat and embedding models are pulled if missing, and projects referencing it receive
/// <c>Genie__Ollama__Url</c> and the model names. When none answers, its state says "built-in models
/// in use" and the services receive nothing.
/// </summary>
public sealed class OllamaResource(string name, Uri url, string chatModel, string embeddingModel) : Resource(name)
{
    public const string UrlKey = "Genie:Ollama:Url";
    public const string ChatModelKey = "Genie:Ollama:ChatModel";
    public const string EmbeddingModelKey = "Genie:Ollama:EmbeddingModel";
    public const string DefaultUrl = "http://127.0.0.1:11434";
    public const string DefaultChatModel = "llama3.2";
    public const string DefaultEmbeddingModel = "nomic-embed-text";
    public const string BuiltInModelsState = "Built-in models in use";

    private readonly TaskCompletionSource<bool> _probed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The Ollama that was probed.</summary>
    public Uri Url { get; } = url;

    public string ChatModel { get; } = chatModel;

    public string EmbeddingModel { get; } = embeddingModel;

    /// <summary>Completes with true once Ollama answered and has both models, false when the built-in models are used.</summary>
    public Task<bool> InUse => _probed.Task;

    internal void Decide(bool inUse) => _probed.TrySetResult(inUse);

    /// <summary>What a project referencing this resource receives (nothing when the built-in models are in use).</summary>
    public async Task AddEnvironmentAsync(IDictionary<string, object> environment, CancellationToken cancellationToken)
    {
        if (!await InUse.WaitAsync(cancellationToken))
            return;
        environment["Genie__Ollama__Url"] = Url.ToString().TrimEnd('/');
        environment["Genie__Ollama__ChatModel"] = ChatModel;
        environment["Genie__Ollama__EmbeddingModel"] = EmbeddingModel;
    }
}
