using Genie.Contracts.Retrieval.V1;
using Genie.Testing.Hosts;
using Grpc.Core;

namespace Genie.Retrieval.Tests.Service;

public class SearchAndPermissionTests(RetrievalTestHost service) : IClassFixture<RetrievalTestHost>
{
    private async Task<(KnowledgeBase Kb, Source Source)> KbWithAsync(string name, Grants grants, params (string File, string Content)[] files)
    {
        var kb = await service.CreateKbAsync(name, grants);
        var source = await service.AddUploadSourceAsync(kb);
        foreach (var (file, content) in files)
            await service.UploadAsync(source, file, content);
        return (kb, source);
    }

    [Fact]
    public async Task A_learner_never_receives_hits_from_a_knowledge_base_not_granted_to_them_or_their_role()
    {
        var forLearners = await KbWithAsync("perm-role", new Grants { Roles = { "learner" } }, ("a.md", "# Vacation\n\nVacation requests go through the leave portal."));
        var forUser2 = await KbWithAsync("perm-user", new Grants { UserIds = { "u-2" } }, ("b.md", "# Vacation\n\nVacation for contractors is agreed with the vendor."));
        var secret = await KbWithAsync("perm-none", new Grants(), ("c.md", "# Vacation\n\nVacation of executives is confidential."));
        var allIds = new[] { forLearners.Kb.Id, forUser2.Kb.Id, secret.Kb.Id };

        async Task<HashSet<string>> SearchAs(string userId, bool nameKbs)
        {
            var request = new SearchRequest { Query = "vacation", TopK = 50 };
            if (nameKbs)
                request.KnowledgeBaseIds.AddRange(allIds);
            var response = await service.Client.SearchAsync(request, service.As("learner", userId));
            Assert.All(response.Hits, h => Assert.Contains(h.KnowledgeBaseId, response.SearchedKnowledgeBaseIds));
            return response.Hits.Select(h => h.KnowledgeBaseId).ToHashSet();
        }

        foreach (var nameKbs in new[] { true, false })
        {
            Assert.Equal([forLearners.Kb.Id], await SearchAs("u-1", nameKbs));
            Assert.Equal(new HashSet<string> { forLearners.Kb.Id, forUser2.Kb.Id }, await SearchAs("u-2", nameKbs));
        }
        // An admin sees all three.
        var admin = await service.Client.SearchAsync(new SearchRequest { Query = "vacation", KnowledgeBaseIds = { allIds }, TopK = 50 }, service.Admin);
        Assert.Equal(allIds.ToHashSet(), admin.Hits.Select(h => h.KnowledgeBaseId).ToHashSet());

        // Nor can the learner read its documents, chunks or description.
        var chunk = admin.Hits.First(h => h.KnowledgeBaseId == secret.Kb.Id);
        var learner = service.As("learner", "u-1");
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(async () => await service.Client.GetChunkAsync(new GetChunkRequest { Id = chunk.ChunkId }, learner))).StatusCode);
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(async () => await service.Client.GetDocumentAsync(new GetDocumentRequest { Id = chunk.DocumentId }, learner))).StatusCode);
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(async () => await service.Client.GetKnowledgeBaseAsync(new GetKnowledgeBaseRequest { Id = secret.Kb.Id }, learner))).StatusCode);
        var listed = await service.Client.ListKnowledgeBasesAsync(new ListKnowledgeBasesRequest(), learner);
        Assert.DoesNotContain(listed.KnowledgeBases, k => k.Id == secret.Kb.Id || k.Id == forUser2.Kb.Id);
    }

    [Fact]
    public async Task Instructors_manage_what_they_created_and_learners_manage_nothing()
    {
        var alice = service.As("instructor", "alice");
        var bob = service.As("instructor", "bob");
        var kb = await service.CreateKbAsync("alice-kb", new Grants { Roles = { "instructor" } }, alice);
        Assert.True(kb.CanManage);
        Assert.Equal("alice", kb.CreatedBy);

        var renamed = await service.Client.UpdateKnowledgeBaseAsync(new UpdateKnowledgeBaseRequest { Id = kb.Id, Name = "alice-kb-2" }, alice);
        Assert.Equal("alice-kb-2", renamed.Name);

        var denied = await Assert.ThrowsAsync<RpcException>(async () => await service.Client.UpdateKnowledgeBaseAsync(new UpdateKnowledgeBaseRequest { Id = kb.Id, Name = "bob was here" }, bob));
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
        Assert.False((await service.Client.GetKnowledgeBaseAsync(new GetKnowledgeBaseRequest { Id = kb.Id }, bob)).CanManage);

        var learnerCreate = await Assert.ThrowsAsync<RpcException>(async () => await service.CreateKbAsync("nope", null, service.As("learner", "l-1")));
        Assert.Equal(StatusCode.PermissionDenied, learnerCreate.StatusCode);

        var adminView = await service.Client.SetGrantsAsync(new SetGrantsRequest { KnowledgeBaseId = kb.Id, Grants = new Grants { UserIds = { "l-9" } } }, service.Admin);
        Assert.Equal(["l-9"], adminView.Grants.UserIds);

        var deleted = await service.Client.DeleteKnowledgeBaseAsync(new DeleteKnowledgeBaseRequest { Id = kb.Id }, alice);
        Assert.Equal(0, deleted.DocumentsDeleted);
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(async () => await service.Client.GetKnowledgeBaseAsync(new GetKnowledgeBaseRequest { Id = kb.Id }, service.Admin))).StatusCode);
    }

    [Fact]
    public async Task Search_finds_exact_terms_and_related_wording_and_every_hit_carries_its_citation()
    {
        var (kb, source) = await KbWithAsync("search", new Grants(),
            ("badge.md", "---\ntitle: Badges\n---\n\n# Getting your badge\n\n## Distributed employees\n\nYour HSPD-12 badge is shipped to the local badging office."),
            ("expenses.md", "# Expenses\n\n## Taxis\n\nReimbursement for taxis and rideshares needs an itemised receipt."),
            ("laptop.md", "# Laptop\n\nYour supervisor decides whether you get a MacBook or a PC laptop."));

        var exact = await service.Client.SearchAsync(new SearchRequest { Query = "HSPD-12", KnowledgeBaseIds = { kb.Id }, Mode = "text" }, service.Admin);
        var top = exact.Hits[0];
        Assert.Equal("badge.md", top.Uri);
        Assert.Equal("Badges", top.DocumentTitle);
        Assert.Equal(["Getting your badge", "Distributed employees"], top.HeadingPath);
        Assert.Equal(source.Id, top.SourceId);
        Assert.Equal("uploads", top.SourceName);
        Assert.Contains("<mark>", top.Snippet);
        Assert.Contains("HSPD-12 badge", top.Text);
        Assert.True(top.TextRank == 1 && top.TextScore > 0);

        var meaning = await service.Client.SearchAsync(new SearchRequest { Query = "reimbursing a taxi ride", KnowledgeBaseIds = { kb.Id }, Mode = "vector" }, service.Admin);
        Assert.Equal("expenses.md", meaning.Hits[0].Uri);
        Assert.True(meaning.Hits[0].VectorScore > meaning.Hits[^1].VectorScore);

        var hybrid = await service.Client.SearchAsync(new SearchRequest { Query = "who decides which laptop I get", KnowledgeBaseIds = { kb.Id }, TopK = 2 }, service.Admin);
        Assert.Equal(2, hybrid.Hits.Count);
        Assert.Equal("laptop.md", hybrid.Hits[0].Uri);
        Assert.True(hybrid.Hits[0].Score >= hybrid.Hits[1].Score);
        Assert.True(hybrid.Hits[0].VectorRank > 0 && hybrid.Hits[0].TextRank > 0);

        var strict = await service.Client.SearchAsync(new SearchRequest { Query = "who decides which laptop I get", KnowledgeBaseIds = { kb.Id }, MinScore = 0.99 }, service.Admin);
        Assert.All(strict.Hits, h => Assert.True(h.Score >= 0.99));
        Assert.True(strict.Hits.Count < 3);

        var chunk = await service.Client.GetChunkAsync(new GetChunkRequest { Id = top.ChunkId }, service.Admin);
        Assert.Equal(top.Text, chunk.Text);
        // A learner without a grant cannot even use the knowledge base's embedder.
        var embed = await Assert.ThrowsAsync<RpcException>(async () => await
            service.Client.EmbedAsync(new EmbedRequest { Texts = { "one" }, KnowledgeBaseId = kb.Id }, service.As("learner")));
        Assert.Equal(StatusCode.NotFound, embed.StatusCode);
    }

    [Theory]
    [InlineData("", 0, null, "query")]
    [InlineData("   ", 0, null, "query")]
    [InlineData("?!", 0, null, "query")]
    [InlineData("badges", 51, null, "top_k")]
    [InlineData("badges", -1, null, "top_k")]
    [InlineData("badges", 5, "not-a-uuid", "knowledge_base_ids[0]")]
    public async Task Bad_search_input_is_invalid_argument_naming_the_field(string query, int topK, string? kbId, string field)
    {
        var request = new SearchRequest { Query = query, TopK = topK };
        if (kbId is not null)
            request.KnowledgeBaseIds.Add(kbId);
        var error = await Assert.ThrowsAsync<RpcException>(async () => await service.Client.SearchAsync(request, service.Admin));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith(field + ":", error.Status.Detail);
    }

    [Fact]
    public async Task Unknown_knowledge_bases_are_not_found_naming_the_field()
    {
        var search = await Assert.ThrowsAsync<RpcException>(async () => await service.Client.SearchAsync(
            new SearchRequest { Query = "badges", KnowledgeBaseIds = { Guid.NewGuid().ToString() } }, service.Admin));
        Assert.Equal(StatusCode.NotFound, search.StatusCode);
        Assert.StartsWith("knowledge_base_ids[0]:", search.Status.Detail);

        var source = await Assert.ThrowsAsync<RpcException>(async () => await service.Client.AddSourceAsync(new AddSourceRequest
        {
            KnowledgeBaseId = Guid.NewGuid().ToString(), Name = "x", Config = new SourceConfig { Upload = new UploadSourceConfig() },
        }, service.Admin));
        Assert.Equal(StatusCode.NotFound, source.StatusCode);
        Assert.StartsWith("knowledge_base_id:", source.Status.Detail);

        var kb = await service.CreateKbAsync("bad-input");
        var folder = await Assert.ThrowsAsync<RpcException>(async () => await service.Client.AddSourceAsync(new AddSourceRequest
        {
            KnowledgeBaseId = kb.Id, Name = "x", Config = new SourceConfig { Folder = new FolderSourceConfig { Path = "relative/dir" } },
        }, service.Admin));
        Assert.StartsWith("config.folder.path:", folder.Status.Detail);
        var dimension = await Assert.ThrowsAsync<RpcException>(async () => await service.Client.CreateKnowledgeBaseAsync(new CreateKnowledgeBaseRequest
        {
            Name = "too wide", Embedder = new EmbedderSpec { Provider = "builtin", Dimension = 5000 },
        }, service.Admin));
        Assert.StartsWith("embedder.dimension:", dimension.Status.Detail);
        var duplicate = await Assert.ThrowsAsync<RpcException>(async () => await service.CreateKbAsync("BAD-INPUT"));
        Assert.Equal(StatusCode.AlreadyExists, duplicate.StatusCode);
    }

    [Fact]
    public async Task Embed_returns_builtin_vectors_of_the_default_dimension()
    {
        var response = await service.Client.EmbedAsync(new EmbedRequest { Texts = { "onboarding", "travel" } }, service.As("learner"));
        Assert.Equal("builtin", response.Embedder.Provider);
        Assert.Equal(2, response.Embeddings.Count);
        Assert.All(response.Embeddings, e => Assert.Equal(384, e.Values.Count));
        Assert.NotEqual(response.Embeddings[0].Values, response.Embeddings[1].Values);
        var empty = await Assert.ThrowsAsync<RpcException>(async () => await service.Client.EmbedAsync(new EmbedRequest { Texts = { "ok", "" } }, service.Admin));
        Assert.StartsWith("texts[1]:", empty.Status.Detail);
    }
}
