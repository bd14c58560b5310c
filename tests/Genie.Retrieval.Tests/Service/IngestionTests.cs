using Genie.Contracts.Retrieval.V1;
using Genie.Testing.Hosts;
using Google.Protobuf;
using Grpc.Core;

namespace Genie.Retrieval.Tests.Service;

public class IngestionTests(RetrievalTestHost service) : IClassFixture<RetrievalTestHost>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("genie-ingest-").FullName;

    private void Write(string name, byte[] content) => File.WriteAllBytes(Path.Combine(_folder, name), content);

    private void Write(string name, string content) => File.WriteAllText(Path.Combine(_folder, name), content);

    private async Task<List<SearchHit>> FindAsync(KnowledgeBase kb, string query, string mode = "text") =>
        (await service.Client.SearchAsync(new SearchRequest { Query = query, KnowledgeBaseIds = { kb.Id }, Mode = mode, TopK = 10 }, service.Admin)).Hits.ToList();

    [Fact]
    public async Task A_folder_sync_indexes_every_format_reports_corrupt_files_and_is_incremental()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "guides"));
        Write("guides/laptop.md", "---\ntitle: Laptop setup\n---\n\n# Laptop\n\n## Homebrew\n\nInstall zebrafinch tooling with brew.\n");
        Write("notes.txt", "Plain notes\n\nThe kestrelwing rota changes weekly.");
        Write("policy.html", "<html><head><title>Expense policy</title></head><body><h1>Expenses</h1><p>Submit narwhalcake receipts.</p></body></html>");
        Write("travel.docx", TestFiles.Docx("Travel guide", ("Heading1", "Flights"), (null, "Book quokkaplane flights early.")));
        Write("training.pdf", TestFiles.Pdf("Security axolotlseminar is due in March"));
        Write("broken.docx", "PK\u0003\u0004 this is not a real docx"u8.ToArray());
        Write("broken.pdf", "%PDF-1.4 truncated garbage"u8.ToArray());

        var kb = await service.CreateKbAsync("formats");
        var source = await service.Client.AddSourceAsync(new AddSourceRequest
        {
            KnowledgeBaseId = kb.Id,
            Name = "folder",
            Config = new SourceConfig { Folder = new FolderSourceConfig { Path = _folder } },
        }, service.Admin);

        var progress = await service.SyncAsync(source);
        var done = progress[^1];
        Assert.True(done.Done);
        Assert.Equal("completed_with_errors", done.Status);
        Assert.Equal(5, done.Counts.Added);
        Assert.Equal(2, done.Counts.Failed);
        Assert.Contains(progress, p => p.Phase == "indexing" && p.CurrentUri == "guides/laptop.md");

        foreach (var (term, uri) in new[] { ("zebrafinch", "guides/laptop.md"), ("kestrelwing", "notes.txt"), ("narwhalcake", "policy.html"), ("quokkaplane", "travel.docx"), ("axolotlseminar", "training.pdf") })
            Assert.Equal(uri, Assert.Single(await FindAsync(kb, term)).Uri);
        var laptop = Assert.Single(await FindAsync(kb, "zebrafinch"));
        Assert.Equal("Laptop setup", laptop.DocumentTitle);
        Assert.Equal(["Laptop", "Homebrew"], laptop.HeadingPath);

        var run = (await service.Client.ListSyncRunsAsync(new ListSyncRunsRequest { SourceId = source.Id }, service.Admin)).Runs[0];
        Assert.Equal(["broken.docx", "broken.pdf"], run.Errors.Select(e => e.Uri));
        Assert.Contains("DOCX", run.Errors[0].Error);

        // Unchanged files cost nothing: same documents, same chunk ids.
        var before = await ChunkIdsAsync(kb);
        var again = (await service.SyncAsync(source))[^1];
        Assert.Equal((0, 0, 5, 0, 0), (again.Counts.Added, again.Counts.Updated, again.Counts.Unchanged, again.Counts.Deleted, again.Counts.ChunksWritten));
        Assert.Equal(before, await ChunkIdsAsync(kb));

        // A changed file's old chunks are gone.
        var oldChunk = laptop.ChunkId;
        Write("guides/laptop.md", "# Laptop\n\nUse the pelicanforge installer instead.\n");
        var changed = (await service.SyncAsync(source))[^1];
        Assert.Equal(1, changed.Counts.Updated);
        Assert.Empty(await FindAsync(kb, "zebrafinch"));
        Assert.Single(await FindAsync(kb, "pelicanforge"));
        var gone = await Assert.ThrowsAsync<RpcException>(async () => await service.Client.GetChunkAsync(new GetChunkRequest { Id = oldChunk }, service.Admin));
        Assert.Equal(StatusCode.NotFound, gone.StatusCode);

        // A deleted file's document is gone.
        File.Delete(Path.Combine(_folder, "notes.txt"));
        var deleted = (await service.SyncAsync(source))[^1];
        Assert.Equal(1, deleted.Counts.Deleted);
        var documents = await service.Client.ListDocumentsAsync(new ListDocumentsRequest { KnowledgeBaseId = kb.Id }, service.Admin);
        Assert.DoesNotContain(documents.Documents, d => d.Uri == "notes.txt");
        Assert.Equal(4, documents.Total);
        Assert.Empty(await FindAsync(kb, "kestrelwing"));
    }

    private async Task<List<string>> ChunkIdsAsync(KnowledgeBase kb)
    {
        var ids = new List<string>();
        foreach (var document in (await service.Client.ListDocumentsAsync(new ListDocumentsRequest { KnowledgeBaseId = kb.Id }, service.Admin)).Documents)
        {
            var full = await service.Client.GetDocumentAsync(new GetDocumentRequest { Id = document.Id, IncludeChunks = true }, service.Admin);
            ids.AddRange(full.Chunks.Select(c => c.Id));
        }
        return ids.Order().ToList();
    }

    [Fact]
    public async Task Uploads_index_at_once_skip_identical_content_and_refuse_bad_files()
    {
        var kb = await service.CreateKbAsync("uploads");
        var source = await service.AddUploadSourceAsync(kb);

        var first = await service.UploadAsync(source, "faq.md", "# FAQ\n\nThe wombatdesk is on floor three.");
        Assert.False(first.Unchanged);
        Assert.Equal("FAQ", first.Document.Title);
        Assert.Equal(1, first.Document.ChunkCount);
        Assert.Single(await FindAsync(kb, "wombatdesk"));

        var same = await service.UploadAsync(source, "faq.md", "# FAQ\n\nThe wombatdesk is on floor three.");
        Assert.True(same.Unchanged);
        Assert.Equal(first.Document.Id, same.Document.Id);

        var docx = await service.Client.UploadDocumentAsync(new UploadDocumentRequest
        {
            SourceId = source.Id, FileName = "guide.docx", Content = ByteString.CopyFrom(TestFiles.Docx("Guide", (null, "Ask the ibexdesk."))),
        }, service.Admin);
        Assert.Equal("Guide", docx.Document.Title);

        var corrupt = await Assert.ThrowsAsync<RpcException>(async () => await service.Client.UploadDocumentAsync(new UploadDocumentRequest
        {
            SourceId = source.Id, FileName = "bad.pdf", Content = ByteString.CopyFromUtf8("%PDF-1.4 nonsense"),
        }, service.Admin));
        Assert.Equal(StatusCode.InvalidArgument, corrupt.StatusCode);
        Assert.StartsWith("content:", corrupt.Status.Detail);

        var oversize = await Assert.ThrowsAsync<RpcException>(async () => await service.Client.UploadDocumentAsync(new UploadDocumentRequest
        {
            SourceId = source.Id, FileName = "huge.txt", Content = ByteString.CopyFrom(new byte[RetrievalTestHost.MaxUploadBytes + 1]),
        }, service.Admin));
        Assert.Equal(StatusCode.InvalidArgument, oversize.StatusCode);
        Assert.StartsWith("content:", oversize.Status.Detail);
        Assert.Contains("limited to", oversize.Status.Detail);

        var unsupported = await Assert.ThrowsAsync<RpcException>(async () => await service.UploadAsync(source, "photo.png", "png"));
        Assert.StartsWith("file_name:", unsupported.Status.Detail);

        var documents = await service.Client.ListDocumentsAsync(new ListDocumentsRequest { KnowledgeBaseId = kb.Id }, service.Admin);
        Assert.Equal(["faq.md", "guide.docx"], documents.Documents.Select(d => d.Uri));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
