using System.Security.Cryptography;
using System.Text.Json;
using Genie.Contracts.Retrieval.V1;
using Genie.Retrieval.Ingestion;
using Genie.Retrieval.Parsing;
using Genie.Retrieval.Sources;
using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Rpc;
using Grpc.Core;

namespace Genie.Retrieval.Api;

public sealed partial class RetrievalHandler
{
    private const int MaxIntervalMinutes = 60 * 24 * 30;

    public override async Task<Source> AddSource(AddSourceRequest request, ServerCallContext context)
    {
        var kb = await ManageableAsync("knowledge_base_id", request.KnowledgeBaseId, context);
        var name = Validate.Required("name", request.Name, 200);
        var config = ValidConfig(request.Config);
        Validate.Range("sync_interval_minutes", request.SyncIntervalMinutes, 0, MaxIntervalMinutes);
        var secretValues = config.Mcp?.Secrets.Where(s => s.Value.Length > 0).ToDictionary(s => s.Key, s => s.Value) ?? [];
        var id = Guid.CreateVersion7();
        await sources.AddAsync(id, kb.Id, name, config, secrets.Seal(id, secretValues), secretValues.Keys.Order().ToList(),
            request.SyncIntervalMinutes, context.GetCaller().UserId, context.CancellationToken);
        return Mapping.ToProto((await sources.FindAsync(id, context.CancellationToken))!);
    }

    public override async Task<ListSourcesResponse> ListSources(ListSourcesRequest request, ServerCallContext context)
    {
        var kb = await ManageableAsync("knowledge_base_id", request.KnowledgeBaseId, context);
        var list = await sources.ListAsync(kb.Id, context.CancellationToken);
        return new ListSourcesResponse { Sources = { list.Select(Mapping.ToProto) } };
    }

    public override async Task<Source> UpdateSource(UpdateSourceRequest request, ServerCallContext context)
    {
        var (source, _) = await ManageableSourceAsync("id", request.Id, context);
        var name = string.IsNullOrWhiteSpace(request.Name) ? source.Name : Validate.Required("name", request.Name, 200);
        var interval = !request.HasSyncIntervalMinutes ? source.SyncIntervalMinutes
            : Validate.Range("sync_interval_minutes", request.SyncIntervalMinutes, 0, MaxIntervalMinutes);
        var config = source.Config;
        var sealedSecrets = source.Secrets;
        var secretNames = source.SecretNames;
        if (request.Config is not null && request.Config.KindCase != SourceConfig.KindOneofCase.None)
        {
            config = ValidConfig(request.Config);
            if (SourceKinds.Of(config) != source.Kind)
                throw RpcErrors.InvalidArgument("config", $"a {source.Kind} source cannot become a {SourceKinds.Of(config)} source; add a new source instead");
            if (config.Mcp is { Secrets.Count: > 0 })
            {
                // Named secrets are replaced; an empty value removes one; unnamed ones are kept.
                var merged = StoredSecretsToMerge(source, config.Mcp.Secrets);
                foreach (var (key, value) in config.Mcp.Secrets)
                {
                    if (value.Length == 0)
                        merged.Remove(key);
                    else
                        merged[key] = value;
                }
                sealedSecrets = secrets.Seal(source.Id, merged);
                secretNames = merged.Keys.Order().ToList();
            }
        }
        await sources.UpdateAsync(source.Id, name, config, sealedSecrets, secretNames, interval, context.CancellationToken);
        return Mapping.ToProto((await sources.FindAsync(source.Id, context.CancellationToken))!);
    }

    /// <summary>
    /// The stored secrets an update's named ones are merged into. When the key changed and they cannot be opened, the
    /// update must give every one of them again: keeping the unnamed ones is impossible, dropping them silently would lose them.
    /// </summary>
    private Dictionary<string, string> StoredSecretsToMerge(SourceRecord source, IDictionary<string, string> given)
    {
        try
        {
            return secrets.Open(source.Id, source.Secrets);
        }
        catch (CryptographicException)
        {
            var missing = source.SecretNames.Where(name => !given.ContainsKey(name)).ToList();
            if (missing.Count > 0)
                throw RpcErrors.InvalidArgument("config.mcp.secrets",
                    $"the stored secrets cannot be decrypted (the secret key changed): give every one of them again; missing {string.Join(", ", missing)}");
            return [];
        }
    }

    public override async Task<RemoveSourceResponse> RemoveSource(RemoveSourceRequest request, ServerCallContext context)
    {
        var (source, _) = await ManageableSourceAsync("id", request.Id, context);
        return new RemoveSourceResponse { DocumentsDeleted = await sources.RemoveAsync(source.Id, context.CancellationToken) };
    }

    public override async Task<UploadDocumentResponse> UploadDocument(UploadDocumentRequest request, ServerCallContext context)
    {
        var (source, _) = await ManageableSourceAsync("source_id", request.SourceId, context);
        if (source.Kind != SourceKinds.Upload)
            throw RpcErrors.InvalidArgument("source_id", $"source '{source.Name}' is a {source.Kind} source; uploads go to an upload source");
        var fileName = Validate.Required("file_name", request.FileName, 255);
        if (fileName.IndexOfAny(['/', '\\', '\0']) >= 0 || fileName is "." or "..")
            throw RpcErrors.InvalidArgument("file_name", "must be a plain file name without directories");
        var contentType = DocumentFormats.Resolve(string.IsNullOrWhiteSpace(request.ContentType) ? null : request.ContentType, fileName)
            ?? throw RpcErrors.InvalidArgument("file_name", $"unsupported format '{Path.GetExtension(fileName)}'; supported: {string.Join(", ", DocumentFormats.Extensions)}");
        if (request.Content.IsEmpty)
            throw RpcErrors.InvalidArgument("content", "the file is empty");
        if (request.Content.Length > options.MaxUploadBytes)
            throw RpcErrors.InvalidArgument("content", $"the file is {request.Content.Length} bytes; uploads are limited to {options.MaxUploadBytes} bytes");

        var bytes = request.Content.ToByteArray();
        try
        {
            // Refuse what cannot be read before anything is stored.
            await parser.ParseAsync(bytes, contentType, fileName, context.CancellationToken);
        }
        catch (DocumentParseException e)
        {
            throw RpcErrors.InvalidArgument("content", e.Message);
        }
        await UploadDocumentSource.StoreAsync(db, source.Id, fileName, contentType, bytes, context.GetCaller().UserId, context.CancellationToken);
        SyncRun run;
        try
        {
            run = await syncRunner.RunAsync(source, "upload", _ => Task.CompletedTask, context.CancellationToken, onlyUris: [fileName]);
        }
        catch (SyncInProgressException)
        {
            throw RpcErrors.Of(StatusCode.Aborted, "source_id: the source is syncing right now; the file is stored and will be indexed by that sync");
        }
        if (run.Errors.Count > 0 || run.Status == "failed")
            throw RpcErrors.Of(StatusCode.Internal, $"content: indexing failed: {(run.Errors.Count > 0 ? run.Errors[0].Error : run.Error)}");
        var (list, _) = await documents.ListAsync(source.KnowledgeBaseId, source.Id, 1000, 0, context.CancellationToken);
        var document = list.First(d => d.Uri == fileName);
        return new UploadDocumentResponse { Document = document, Unchanged = run.Counts.Unchanged == 1 };
    }

    public override async Task SyncSource(SyncSourceRequest request, IServerStreamWriter<SyncProgress> responses, ServerCallContext context)
    {
        var (source, _) = await ManageableSourceAsync("source_id", request.SourceId, context);
        try
        {
            await syncRunner.RunAsync(source, "manual", responses.WriteAsync, context.CancellationToken);
        }
        catch (SyncInProgressException)
        {
            throw RpcErrors.Of(StatusCode.FailedPrecondition, "source_id: the source is already syncing; wait for that run to finish");
        }
    }

    public override async Task<ListSyncRunsResponse> ListSyncRuns(ListSyncRunsRequest request, ServerCallContext context)
    {
        var (source, _) = await ManageableSourceAsync("source_id", request.SourceId, context);
        var limit = request.Limit == 0 ? 20 : Validate.Range("limit", request.Limit, 1, 200);
        return new ListSyncRunsResponse { Runs = { await documents.ListRunsAsync(source.Id, limit, context.CancellationToken) } };
    }

    private static SourceConfig ValidConfig(SourceConfig? config)
    {
        switch (config?.KindCase ?? SourceConfig.KindOneofCase.None)
        {
            case SourceConfig.KindOneofCase.Upload:
                return config!.Clone();
            case SourceConfig.KindOneofCase.Folder:
                var folder = config!.Folder;
                if (string.IsNullOrWhiteSpace(folder.Path) || !Path.IsPathFullyQualified(folder.Path))
                    throw RpcErrors.InvalidArgument("config.folder.path", "must be an absolute directory path");
                if (!Directory.Exists(folder.Path))
                    throw RpcErrors.InvalidArgument("config.folder.path", $"directory '{folder.Path}' does not exist on the retrieval service's machine");
                return config.Clone();
            case SourceConfig.KindOneofCase.Mcp:
                var mcp = config!.Mcp;
                var hasCommand = !string.IsNullOrWhiteSpace(mcp.Command);
                var hasUrl = !string.IsNullOrWhiteSpace(mcp.Url);
                if (hasCommand == hasUrl)
                    throw RpcErrors.InvalidArgument("config.mcp.command", "give either a command (stdio) or a url (HTTP), not both or neither");
                if (hasUrl && (!Uri.TryCreate(mcp.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")))
                    throw RpcErrors.InvalidArgument("config.mcp.url", "must be an absolute http(s) URL");
                if (!string.IsNullOrWhiteSpace(mcp.ListArgumentsJson))
                {
                    try
                    {
                        using var json = JsonDocument.Parse(mcp.ListArgumentsJson);
                        if (json.RootElement.ValueKind != JsonValueKind.Object)
                            throw RpcErrors.InvalidArgument("config.mcp.list_arguments_json", "must be a JSON object");
                    }
                    catch (JsonException e)
                    {
                        throw RpcErrors.InvalidArgument("config.mcp.list_arguments_json", $"is not valid JSON: {e.Message}");
                    }
                }
                if (!string.IsNullOrWhiteSpace(mcp.ListTool) && string.IsNullOrWhiteSpace(mcp.ReadTool))
                    throw RpcErrors.InvalidArgument("config.mcp.read_tool", "is required with a list tool");
                return config.Clone();
            default:
                throw RpcErrors.InvalidArgument("config", "choose one of upload, folder or mcp");
        }
    }
}
