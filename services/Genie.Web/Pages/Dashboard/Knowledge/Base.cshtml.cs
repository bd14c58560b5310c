using Genie.Contracts.Retrieval.V1;
using Genie.ServiceDefaults.Auth;
using Grpc.Core;
using GrpcStatus = Grpc.Core.StatusCode;
using Genie.Web.Audit;
using Genie.Web.Backends;
using Genie.Web.Identity;
using Genie.Web.Knowledge;
using Google.Protobuf;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Genie.Web.Pages.Dashboard.Knowledge;

/// <summary>
/// One knowledge base: upload files, add folder and MCP sources, sync with live progress, documents
/// with their errors, who may read it, and deletion. Retrieval enforces who may change what.
/// </summary>
[RequestSizeLimit(MaxRequestBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = MaxRequestBytes)]
public sealed class BaseModel(BackendClients backends, UserCalls calls, UserStore users, AuditLog audit) : PageModel
{
    /// <summary>The portal's limit per upload; Retrieval applies its own (configurable) limit too.</summary>
    public const long MaxUploadBytes = 32L * 1024 * 1024;

    private const int MaxEmailLength = 254;

    /// <summary>The largest request the portal reads: one file at the limit and the form around it.</summary>
    public const long MaxRequestBytes = MaxUploadBytes + 1024 * 1024;

    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)]
    public string Id { get; set; } = "";

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    [BindProperty]
    public FolderForm Folder { get; set; } = new();

    [BindProperty]
    public McpForm Mcp { get; set; } = new();

    public KnowledgeBase? Kb { get; private set; }

    public IReadOnlyList<Source> Sources { get; private set; } = [];

    public IReadOnlyDictionary<string, SyncRun> LastRuns { get; private set; } = new Dictionary<string, SyncRun>();

    public ListDocumentsResponse Documents { get; private set; } = new();

    public IReadOnlyList<PortalUser> GrantedUsers { get; private set; } = [];

    public string? Error { get; private set; }

    public string? Open { get; private set; }

    public int PageCount => Math.Max(1, (Documents.Total + PageSize - 1) / PageSize);

    public async Task<IActionResult> OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostUploadAsync(List<IFormFile> files)
    {
        var ct = HttpContext.RequestAborted;
        if (files.Count == 0)
            return Fail("Choose one or more files to upload.");
        var tooBig = files.FirstOrDefault(f => f.Length > MaxUploadBytes);
        if (tooBig is not null)
            return Fail(TooLarge(tooBig.FileName, tooBig.Length));
        try
        {
            var source = await UploadSourceAsync(ct);
            var done = new List<string>();
            foreach (var file in files)
            {
                await using var stream = file.OpenReadStream();
                try
                {
                    // The name as the person sees it: Retrieval refuses one with a directory in it, and says so.
                    var uploaded = await backends.Retrieval.UploadDocumentAsync(new UploadDocumentRequest
                    {
                        SourceId = source.Id,
                        FileName = file.FileName,
                        ContentType = file.ContentType ?? "",
                        Content = await ByteString.FromStreamAsync(stream, ct),
                    }, Call(TimeSpan.FromMinutes(5)));
                    done.Add(uploaded.Unchanged ? $"{file.FileName} (unchanged)" : $"{file.FileName} ({Words.Count(uploaded.Document.ChunkCount, "chunk")})");
                }
                catch (RpcException e) when (e.StatusCode == GrpcStatus.InvalidArgument)
                {
                    TempData["FlashError"] = $"{file.FileName} was not uploaded: {BackendErrors.Describe(e, "Retrieval")}";
                    break;
                }
            }
            if (done.Count > 0)
            {
                await audit.WriteAsync(AuditActor.From(User), "kb.upload", Id, string.Join(", ", done), ct);
                TempData["Flash"] = "Uploaded and indexed: " + string.Join(", ", done) + ".";
            }
        }
        catch (RpcException e)
        {
            TempData["FlashError"] = "Upload failed: " + BackendErrors.Describe(e, "Retrieval");
        }
        return RedirectToPage(new { id = Id });
    }

    public async Task<IActionResult> OnPostAddFolderAsync()
    {
        if (string.IsNullOrWhiteSpace(Folder.Path))
            ModelState.AddModelError("Folder.Path", "Enter the folder's absolute path on the Retrieval server.");
        return await AddSourceAsync(Folder.Name, Folder.ToConfig(), Folder.SyncIntervalMinutes, "folder");
    }

    public async Task<IActionResult> OnPostAddMcpAsync()
    {
        var (config, field, problem) = Mcp.ToConfig();
        // Secrets are write-only: never echoed back, even when the form comes back with an error
        // (the tag helpers would render the posted value kept in ModelState).
        Mcp.Secrets = null;
        ModelState.Remove("Mcp.Secrets");
        if (problem is not null)
            ModelState.AddModelError(field!, problem);
        return await AddSourceAsync(Mcp.Name, config, Mcp.SyncIntervalMinutes, "mcp");
    }

    /// <summary>Syncs a source: Server-Sent Events for the page's script, else run to the end and redirect.</summary>
    public async Task<IActionResult> OnPostSyncAsync(string sourceId)
    {
        var ct = HttpContext.RequestAborted;
        var request = new SyncSourceRequest { SourceId = sourceId ?? "" };
        if (ServerSentEvents.Requested(Request))
        {
            await ServerSentEvents.StartAsync(Response);
            try
            {
                await foreach (var step in backends.Retrieval.SyncSource(request, Call(TimeSpan.FromHours(2))).ResponseStream.ReadAllAsync(ct))
                    await ServerSentEvents.WriteAsync(Response, step.Done ? "done" : "progress", SyncEvent(step), ct);
            }
            catch (RpcException e) when (!ct.IsCancellationRequested)
            {
                await ServerSentEvents.WriteAsync(Response, "failed", new { message = BackendErrors.Describe(e, "Retrieval") }, ct);
            }
            return new EmptyResult();
        }
        try
        {
            SyncProgress? last = null;
            await foreach (var step in backends.Retrieval.SyncSource(request, Call(TimeSpan.FromHours(2))).ResponseStream.ReadAllAsync(ct))
                last = step;
            if (last is not null)
                TempData[last.Status == "succeeded" ? "Flash" : "FlashError"] = SyncSummary(last);
        }
        catch (RpcException e)
        {
            TempData["FlashError"] = "Sync failed: " + BackendErrors.Describe(e, "Retrieval");
        }
        return RedirectToPage(new { id = Id });
    }

    public async Task<IActionResult> OnPostRemoveSourceAsync(string sourceId)
    {
        try
        {
            var removed = await backends.Retrieval.RemoveSourceAsync(new RemoveSourceRequest { Id = sourceId ?? "" }, Call());
            await audit.WriteAsync(AuditActor.From(User), "kb.source.remove", Id, $"source {sourceId}, {removed.DocumentsDeleted} documents", HttpContext.RequestAborted);
            TempData["Flash"] = $"Source removed with its {removed.DocumentsDeleted} document(s).";
        }
        catch (RpcException e)
        {
            TempData["FlashError"] = BackendErrors.Describe(e, "Retrieval");
        }
        return RedirectToPage(new { id = Id });
    }

    public async Task<IActionResult> OnPostGrantsAsync(List<string> roles, List<Guid> userIds, string? addEmail)
    {
        var grants = new Grants();
        grants.Roles.AddRange(roles.Where(r => Roles.People.Contains(r)).Distinct());
        var ids = userIds.Distinct().ToList();
        if (!string.IsNullOrWhiteSpace(addEmail))
        {
            var user = await users.FindByEmailAsync(addEmail.Trim(), HttpContext.RequestAborted);
            if (user is null)
            {
                // a flash message travels in a cookie: an address no one can have is not echoed into it
                TempData["FlashError"] = addEmail.Trim().Length <= MaxEmailLength ? $"No portal user has the e-mail {addEmail.Trim()}." : $"E-mail addresses are at most {MaxEmailLength} characters.";
                return RedirectToPage(new { id = Id });
            }
            ids.Add(user.Id);
        }
        grants.UserIds.AddRange(ids.Distinct().Select(i => i.ToString()));
        try
        {
            await backends.Retrieval.SetGrantsAsync(new SetGrantsRequest { KnowledgeBaseId = Id, Grants = grants }, Call());
            await audit.WriteAsync(AuditActor.From(User), "kb.grants", Id, $"roles: {string.Join(",", grants.Roles)}; users: {grants.UserIds.Count}", HttpContext.RequestAborted);
            TempData["Flash"] = "Readers updated.";
        }
        catch (RpcException e)
        {
            TempData["FlashError"] = BackendErrors.Describe(e, "Retrieval");
        }
        return RedirectToPage(new { id = Id });
    }

    /// <summary>Starts (or resumes) re-embedding every chunk with another embedder; search keeps the old one until it is done.</summary>
    public async Task<IActionResult> OnPostEmbedderAsync(string? provider, string? model)
    {
        try
        {
            var kb = await backends.Retrieval.ChangeEmbedderAsync(new ChangeEmbedderRequest
            {
                KnowledgeBaseId = Id,
                Embedder = new EmbedderSpec { Provider = (provider ?? "").Trim(), Model = (model ?? "").Trim() },
            }, Call(TimeSpan.FromMinutes(2)));
            if (kb.EmbedderSwitch is { } pending)
            {
                await audit.WriteAsync(AuditActor.From(User), "kb.embedder", Id, $"{pending.Embedder.Provider} {pending.Embedder.Model}", HttpContext.RequestAborted);
                TempData["Flash"] = $"Re-embedding with {pending.Embedder.Provider} {pending.Embedder.Model} started; search uses the current embedder until it is done.";
            }
            else
            {
                TempData["Flash"] = $"The knowledge base already uses {kb.Embedder.Provider} {kb.Embedder.Model}.";
            }
        }
        catch (RpcException e)
        {
            TempData["FlashError"] = "The embedder was not changed: " + BackendErrors.Describe(e, "Retrieval");
        }
        return RedirectToPage(new { id = Id });
    }

    public async Task<IActionResult> OnPostDeleteAsync(string confirmName)
    {
        try
        {
            var kb = await backends.Retrieval.GetKnowledgeBaseAsync(new GetKnowledgeBaseRequest { Id = Id }, Call());
            if (!string.Equals((confirmName ?? "").Trim(), kb.Name, StringComparison.Ordinal))
            {
                TempData["FlashError"] = $"Type the name \"{kb.Name}\" exactly to delete it.";
                return RedirectToPage(new { id = Id });
            }
            var deleted = await backends.Retrieval.DeleteKnowledgeBaseAsync(new DeleteKnowledgeBaseRequest { Id = Id }, Call(TimeSpan.FromMinutes(5)));
            await audit.WriteAsync(AuditActor.From(User), "kb.delete", Id, $"{kb.Name}, {deleted.DocumentsDeleted} documents", HttpContext.RequestAborted);
            TempData["Flash"] = $"Knowledge base \"{kb.Name}\" deleted with its {deleted.DocumentsDeleted} document(s).";
            return RedirectToPage("/Dashboard/Knowledge/Index");
        }
        catch (RpcException e)
        {
            TempData["FlashError"] = BackendErrors.Describe(e, "Retrieval");
            return RedirectToPage(new { id = Id });
        }
    }

    public static string SyncSummary(SyncProgress p)
    {
        var c = p.Counts ?? new SyncCounts();
        var counts = $"{c.Added} added, {c.Updated} updated, {c.Unchanged} unchanged, {c.Deleted} removed, {c.Failed} failed";
        return p.Status switch
        {
            "succeeded" => $"Sync finished: {counts}.",
            "completed_with_errors" => $"Sync finished with errors: {counts}. See the documents list.",
            _ => $"Sync failed: {p.Error}",
        };
    }

    public static string Megabytes(long bytes) => $"{bytes / 1024.0 / 1024.0:0.#} MB";

    /// <summary>The words for a file over the limit; site.js says the same before uploading.</summary>
    public static string TooLarge(string fileName, long bytes) =>
        $"{fileName} is {Megabytes(bytes)}; files can be at most {Megabytes(MaxUploadBytes)}.";

    private static object SyncEvent(SyncProgress step) => new
    {
        state = step.Done ? step.Status : "running",
        stage = step.Phase,
        done = step.DocumentsDone,
        total = step.DocumentsTotal,
        message = step.Done ? null : $"{Capital(step.Phase)} {step.CurrentUri}".Trim(),
        summary = step.Done ? SyncSummary(step) : null,
    };

    private static string Capital(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    private async Task<IActionResult> AddSourceAsync(string name, SourceConfig? config, int interval, string kind)
    {
        if (string.IsNullOrWhiteSpace(name))
            ModelState.AddModelError(kind == "mcp" ? "Mcp.Name" : "Folder.Name", "Give the source a name.");
        if (interval < 0)
            ModelState.AddModelError(kind == "mcp" ? "Mcp.SyncIntervalMinutes" : "Folder.SyncIntervalMinutes", "Use 0 (no schedule) or a number of minutes.");
        if (ModelState.IsValid && config is not null)
        {
            try
            {
                var source = await backends.Retrieval.AddSourceAsync(new AddSourceRequest
                {
                    KnowledgeBaseId = Id,
                    Name = name.Trim(),
                    Config = config,
                    SyncIntervalMinutes = interval,
                }, Call());
                await audit.WriteAsync(AuditActor.From(User), "kb.source.add", Id, $"{kind} source \"{source.Name}\"", HttpContext.RequestAborted);
                TempData["Flash"] = $"Source \"{source.Name}\" added. Use \"Sync now\" to index it.";
                return RedirectToPage(new { id = Id });
            }
            catch (RpcException e) when (e.StatusCode == GrpcStatus.InvalidArgument)
            {
                ModelState.AddModelError("", e.Status.Detail);
            }
            catch (RpcException e)
            {
                ModelState.AddModelError("", BackendErrors.Describe(e, "Retrieval"));
            }
        }
        Open = kind;
        return await LoadAsync();
    }

    private async Task<Source> UploadSourceAsync(CancellationToken ct)
    {
        var sources = await backends.Retrieval.ListSourcesAsync(new ListSourcesRequest { KnowledgeBaseId = Id }, Call());
        return sources.Sources.FirstOrDefault(s => s.Kind == "upload")
            ?? await backends.Retrieval.AddSourceAsync(new AddSourceRequest
            {
                KnowledgeBaseId = Id,
                Name = "Uploads",
                Config = new SourceConfig { Upload = new UploadSourceConfig() },
            }, Call());
    }

    private IActionResult Fail(string message)
    {
        TempData["FlashError"] = message;
        return RedirectToPage(new { id = Id });
    }

    private CallOptions Call(TimeSpan? timeout = null) => calls.For(User, HttpContext.RequestAborted, timeout ?? TimeSpan.FromSeconds(30));

    private async Task<IActionResult> LoadAsync()
    {
        var ct = HttpContext.RequestAborted;
        try
        {
            var retrieval = backends.Retrieval;
            Kb = await retrieval.GetKnowledgeBaseAsync(new GetKnowledgeBaseRequest { Id = Id }, Call());
            var sources = retrieval.ListSourcesAsync(new ListSourcesRequest { KnowledgeBaseId = Id }, Call());
            PageNumber = Math.Max(1, PageNumber);
            var documents = retrieval.ListDocumentsAsync(new ListDocumentsRequest { KnowledgeBaseId = Id, Limit = PageSize, Offset = (PageNumber - 1) * PageSize }, Call());
            Sources = (await sources).Sources;
            Documents = await documents;
            var runs = await Task.WhenAll(Sources.Select(s => retrieval.ListSyncRunsAsync(new ListSyncRunsRequest { SourceId = s.Id, Limit = 1 }, Call()).ResponseAsync));
            LastRuns = Sources.Zip(runs).Where(p => p.Second.Runs.Count > 0).ToDictionary(p => p.First.Id, p => p.Second.Runs[0]);
            var ids = (Kb.Grants?.UserIds ?? []).Select(s => Guid.TryParse(s, out var g) ? g : Guid.Empty).Where(g => g != Guid.Empty).ToList();
            GrantedUsers = ids.Count == 0 ? [] : await users.FindManyAsync(ids, ct);
        }
        catch (RpcException e) when (e.StatusCode == GrpcStatus.NotFound)
        {
            return NotFound();
        }
        catch (RpcException e)
        {
            Error = BackendErrors.Describe(e, "Retrieval");
        }
        return Page();
    }
}
