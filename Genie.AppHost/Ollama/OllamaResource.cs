using Genie.AppHost.Dashboard;
using Genie.AppHost.Hosting;

namespace Genie.AppHost.Ollama;

/// <summary>
/// A local Ollama, when one answers at <c>Genie:Ollama:Url</c> (default http://127.0.0.1:11434): the
/// configured chat and embedding models are pulled if missing, and projects referencing it receive
/// <c>Genie__Ollama__Url</c> and the model names. When none answers, the services use their
/// built-in models and receive nothing.
/// </summary>
public sealed class OllamaResource(string name) : Resource(name), IReferenceable
{
    public const string UrlKey = "Genie:Ollama:Url";
    public const string ChatModelKey = "Genie:Ollama:ChatModel";
    public const string EmbeddingModelKey = "Genie:Ollama:EmbeddingModel";
    public const string DefaultUrl = "http://127.0.0.1:11434";
    public const string DefaultChatModel = "llama3.2";
    public const string DefaultEmbeddingModel = "nomic-embed-text";

    private ResourceState _state = ResourceState.NotStarted;
    private string? _detail;
    private Uri? _probed;

    /// <summary>The Ollama the services use, or null when the built-in models are in use.</summary>
    public Uri? Url { get; private set; }

    public string ChatModel { get; private set; } = DefaultChatModel;

    public string EmbeddingModel { get; private set; } = DefaultEmbeddingModel;

    internal override async Task StartAsync(AppRun run, CancellationToken cancellationToken)
    {
        _state = ResourceState.Starting;
        var configured = run.Configuration[UrlKey];
        _probed = new Uri(AppendSlash(string.IsNullOrWhiteSpace(configured) ? DefaultUrl : configured));
        ChatModel = run.Configuration[ChatModelKey] ?? DefaultChatModel;
        EmbeddingModel = run.Configuration[EmbeddingModelKey] ?? DefaultEmbeddingModel;

        var api = new OllamaApi(_probed);
        if (!await api.AnswersAsync(cancellationToken))
        {
            UseBuiltIn(run, $"no Ollama answers at {_probed}");
            return;
        }
        try
        {
            var installed = await api.ListModelsAsync(cancellationToken);
            foreach (var model in new[] { ChatModel, EmbeddingModel }.Distinct().Where(m => !OllamaApi.Contains(installed, m)))
                await run.Console.TrackProgressAsync($"{Name}: pulling {model}", progress =>
                    api.PullAsync(model, status => Report(progress, model, status), cancellationToken));
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or System.Text.Json.JsonException)
        {
            UseBuiltIn(run, $"Ollama at {_probed} could not provide {ChatModel} and {EmbeddingModel} ({e.Message})");
            return;
        }
        Url = _probed;
        _state = ResourceState.Running;
        _detail = $"{ChatModel}, {EmbeddingModel}";
        run.Console.Info($"{Name}: using {Url} with {ChatModel} and {EmbeddingModel}");
        MarkReady();
    }

    public async Task AddEnvironmentAsync(IDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        await Ready.WaitAsync(cancellationToken);
        if (Url is null)
            return;
        environment["Genie__Ollama__Url"] = Url.ToString().TrimEnd('/');
        environment["Genie__Ollama__ChatModel"] = ChatModel;
        environment["Genie__Ollama__EmbeddingModel"] = EmbeddingModel;
    }

    internal override IEnumerable<ResourceSnapshot> Snapshot()
    {
        yield return new ResourceSnapshot(Name, "ollama", _state, _probed is null ? [] : [_probed.ToString()],
            _state == ResourceState.Running ? true : null, Detail: _detail);
    }

    private void UseBuiltIn(AppRun run, string reason)
    {
        _state = ResourceState.Stopped;
        _detail = "built-in models in use";
        run.Console.Info($"{Name}: {reason}; the services use their built-in models.");
        MarkReady();
    }

    private static void Report(IProgress<ProgressUpdate> progress, string model, PullStatus status)
    {
        if (status.Digest is { } digest && status.Total is > 0)
            progress.Report(new ProgressUpdate($"{model} {ShortDigest(digest)}", status.Completed ?? 0, status.Total.Value));
    }

    private static string ShortDigest(string digest) => digest.StartsWith("sha256:", StringComparison.Ordinal) ? digest[7..Math.Min(digest.Length, 19)] : digest;

    private static string AppendSlash(string url) => url.EndsWith('/') ? url : url + "/";
}
