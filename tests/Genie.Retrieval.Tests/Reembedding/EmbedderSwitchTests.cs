using Dapper;
using Genie.Contracts.Retrieval.V1;
using Genie.ServiceDefaults.Auth;
using Genie.Testing.FakeOllama;
using Genie.Testing.Hosts;
using Grpc.Core;
using Npgsql;

namespace Genie.Retrieval.Tests.Reembedding;

/// <summary>
/// ChangeEmbedder against a real PostgreSQL over real gRPC: the target is a fake Ollama (its documented /api/embed)
/// that a test can hold mid-way or take the model away from; the knowledge bases start on the built-in hashing embedder.
/// </summary>
public sealed class EmbedderSwitchTests : IAsyncLifetime
{
    private const string Model = "all-minilm";
    private const int OllamaDimension = 64;
    private const int BatchSize = 2;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    private static readonly (string, string)[] Documents =
    [
        ("leave.md", "# Leave\n\nRequest parental leave twelve weeks ahead through the HR portal."),
        ("badge.md", "# Badge\n\nCollect your building badge at the security desk with a photo ID."),
        ("laptop.md", "# Laptop\n\nIT ships the laptop on your first day; enrol it in device management."),
        ("review.md", "# Code review\n\nEvery pull request needs one approving review before merge."),
        ("zoom.md", "# Zoom\n\nSign in to Zoom with single sign-on using the company domain."),
    ];

    private FakeOllamaServer _ollama = null!;
    private readonly List<RetrievalTestHost> _hosts = [];

    public async Task InitializeAsync() =>
        _ollama = await FakeOllamaServer.StartAsync(installed: [Model], embeddingDimension: OllamaDimension);

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts)
            await host.DisposeAsync();
        await _ollama.DisposeAsync();
    }

    private async Task<RetrievalTestHost> StartAsync(string? connectionString = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Genie:Retrieval:Embedder:OllamaUrl"] = _ollama.Address.ToString(),
            ["Genie:Retrieval:Embedder:OllamaModel"] = Model,
            ["Genie:Retrieval:ReembedBatchSize"] = BatchSize.ToString(),
        };
        if (connectionString is not null)
            settings["ConnectionStrings:genie"] = connectionString;
        var host = await RetrievalTestHost.StartAsync(settings);
        _hosts.Add(host);
        return host;
    }

    private static EmbedderSpec Ollama => new() { Provider = "ollama", Model = Model };

    /// <summary>Lets <paramref name="pass"/> batches through, then holds the next ones until released (ChangeEmbedder's dimension probe always passes).</summary>
    private sealed class Gate
    {
        private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _requests;

        public Gate(FakeOllamaServer ollama, int pass) =>
            ollama.BeforeEmbed = async (inputs, aborted) =>
            {
                if (inputs is ["dimension probe"] || Interlocked.Increment(ref _requests) <= pass)
                    return;
                _held.TrySetResult();
                await _release.Task.WaitAsync(aborted);
            };

        public Task Held => _held.Task.WaitAsync(Patience);

        public void Release() => _release.TrySetResult();
    }

    [Fact]
    public async Task A_switch_runs_in_the_background_search_keeps_the_old_vectors_then_one_swap_moves_every_chunk()
    {
        var service = await StartAsync();
        var kb = await service.CreateKbWithDocumentsAsync("switching", new Grants(), Documents);
        Assert.Equal(("builtin", 384), (kb.Embedder.Provider, kb.Embedder.Dimension));
        var before = await SearchAsync(service, kb, "photo ID security desk");
        var gate = new Gate(_ollama, pass: 1);

        var started = await service.Client.ChangeEmbedderAsync(new ChangeEmbedderRequest { KnowledgeBaseId = kb.Id, Embedder = Ollama }, service.Admin);
        Assert.Equal("builtin", started.Embedder.Provider);
        Assert.Equal(new EmbedderSpec { Provider = "ollama", Model = Model, Dimension = OllamaDimension }, started.EmbedderSwitch.Embedder);
        Assert.Equal(("running", Documents.Length), (started.EmbedderSwitch.State, started.EmbedderSwitch.ChunksTotal));

        await gate.Held;
        var midway = await service.Client.GetKnowledgeBaseAsync(new GetKnowledgeBaseRequest { Id = kb.Id }, service.Admin);
        Assert.Equal(("builtin", "running", BatchSize, Documents.Length),
            (midway.Embedder.Provider, midway.EmbedderSwitch.State, midway.EmbedderSwitch.ChunksDone, midway.EmbedderSwitch.ChunksTotal));

        // Search during the switch: the old embedder embeds the query (Ollama is not asked) and the old vectors answer.
        var embedRequests = _ollama.EmbedRequests.Count;
        Assert.Equal(before, await SearchAsync(service, kb, "photo ID security desk"));
        Assert.Equal(embedRequests, _ollama.EmbedRequests.Count);

        // Another target while this one runs is refused; the same one again changes nothing.
        var other = await Assert.ThrowsAsync<RpcException>(async () => await service.Client.ChangeEmbedderAsync(
            new ChangeEmbedderRequest { KnowledgeBaseId = kb.Id, Embedder = new EmbedderSpec { Provider = "builtin", Dimension = 128 } }, service.Admin));
        Assert.Equal(StatusCode.FailedPrecondition, other.StatusCode);
        Assert.StartsWith("embedder: a switch to ollama all-minilm is running", other.Status.Detail);
        var again = await service.Client.ChangeEmbedderAsync(new ChangeEmbedderRequest { KnowledgeBaseId = kb.Id, Embedder = Ollama }, service.Admin);
        Assert.Equal("running", again.EmbedderSwitch.State);

        // A document synced during the switch goes in with the current embedder; the runner embeds it for the target too.
        var source = (await service.Client.ListSourcesAsync(new ListSourcesRequest { KnowledgeBaseId = kb.Id }, service.Admin)).Sources.Single();
        await service.UploadAsync(source, "parking.md", "# Parking\n\nThe garage under the office has twenty visitor spaces.");
        Assert.Equal([(384, 384, false)], await DimensionsAsync(service, kb, "parking.md"));
        Assert.Equal(BatchSize, (await DimensionsAsync(service, kb)).Count(d => d.HasNext));

        gate.Release();
        var done = await CompletedAsync(service, kb);
        Assert.Equal(new EmbedderSpec { Provider = "ollama", Model = Model, Dimension = OllamaDimension }, done.Embedder);
        Assert.Null(done.EmbedderSwitch);
        Assert.Equal(Documents.Length + 1, done.ChunkCount);
        Assert.All(await DimensionsAsync(service, kb), d => Assert.Equal((OllamaDimension, OllamaDimension, false), d));
        await using (var connection = await OpenAsync(service))
            Assert.True(await connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM pg_indexes WHERE indexname = 'chunks_embedding_hnsw_64')"));

        // Now the query is embedded by the new model and its vectors answer.
        embedRequests = _ollama.EmbedRequests.Count;
        var after = await service.Client.SearchAsync(new SearchRequest { Query = "twenty visitor spaces", KnowledgeBaseIds = { kb.Id }, Mode = "vector" }, service.Admin);
        Assert.Equal(embedRequests + 1, _ollama.EmbedRequests.Count);
        Assert.Contains("twenty visitor spaces", _ollama.EmbedRequests[^1].ToJsonString());
        Assert.Equal(Documents.Length + 1, after.Hits.Count);
        Assert.All(after.Hits, h => Assert.InRange(h.VectorScore, -1, 1));

        // A later sync indexes with the new embedder.
        await service.UploadAsync(source, "lunch.md", "# Lunch\n\nLunch is served at noon on Fridays.");
        Assert.Equal([(OllamaDimension, OllamaDimension, false)], await DimensionsAsync(service, kb, "lunch.md"));
    }

    [Fact]
    public async Task A_document_embedded_with_the_old_model_while_the_swap_happens_goes_in_with_the_new_one()
    {
        var service = await StartAsync();
        var kb = await service.Client.CreateKnowledgeBaseAsync(new CreateKnowledgeBaseRequest { Name = "racing", Embedder = Ollama }, service.Admin);
        var source = await service.AddUploadSourceAsync(kb);
        foreach (var (name, text) in Documents[..2])
            await service.UploadAsync(source, name, text);

        // Ollama (the current embedder) holds the new document's chunks while the switch to the built-in one completes.
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _ollama.BeforeEmbed = async (inputs, aborted) =>
        {
            if (!inputs.Any(i => i.Contains("visitor spaces", StringComparison.Ordinal)))
                return;
            held.TrySetResult();
            await release.Task.WaitAsync(aborted);
        };
        var upload = service.UploadAsync(source, "parking.md", "# Parking\n\nThe garage under the office has twenty visitor spaces.");
        await held.Task.WaitAsync(Patience);
        await service.Client.ChangeEmbedderAsync(new ChangeEmbedderRequest
        {
            KnowledgeBaseId = kb.Id, Embedder = new EmbedderSpec { Provider = "builtin", Dimension = 128 },
        }, service.Admin);
        var switched = await CompletedAsync(service, kb);
        Assert.Equal(("builtin", 128), (switched.Embedder.Provider, switched.Embedder.Dimension));

        release.TrySetResult();
        var uploaded = await upload;
        Assert.Equal(1, uploaded.Document.ChunkCount);
        Assert.Equal([(128, 128, false)], await DimensionsAsync(service, kb, "parking.md"));
        Assert.All(await DimensionsAsync(service, kb), d => Assert.Equal((128, 128, false), d));
    }

    [Fact]
    public async Task A_restart_midway_resumes_where_the_last_batch_stopped()
    {
        var first = await StartAsync();
        var kb = await first.CreateKbWithDocumentsAsync("restarting", new Grants(), Documents);
        var gate = new Gate(_ollama, pass: 1);
        await first.Client.ChangeEmbedderAsync(new ChangeEmbedderRequest { KnowledgeBaseId = kb.Id, Embedder = Ollama }, first.Admin);
        await gate.Held;
        await first.DisposeAsync(); // the held request is abandoned with the process
        _hosts.Remove(first);
        Assert.Equal(BatchSize, (await DimensionsAsync(first, kb)).Count(d => d.HasNext));

        var embedded = new List<string>();
        _ollama.BeforeEmbed = (inputs, _) =>
        {
            lock (embedded)
                embedded.AddRange(inputs);
            return Task.CompletedTask;
        };
        var second = await StartAsync(first.ConnectionString);
        var done = await CompletedAsync(second, kb);
        Assert.Equal("ollama", done.Embedder.Provider);
        Assert.Equal(Documents.Length - BatchSize, embedded.Count); // only the chunks the first run had not stored
        Assert.All(await DimensionsAsync(second, kb), d => Assert.Equal((OllamaDimension, OllamaDimension, false), d));
    }

    [Fact]
    public async Task A_failing_embedder_leaves_the_old_vectors_serving_and_a_retry_completes()
    {
        var service = await StartAsync();
        var kb = await service.CreateKbWithDocumentsAsync("failing", new Grants(), Documents);
        var before = await SearchAsync(service, kb, "laptop device management");
        var gate = new Gate(_ollama, pass: 1);
        await service.Client.ChangeEmbedderAsync(new ChangeEmbedderRequest { KnowledgeBaseId = kb.Id, Embedder = Ollama }, service.Admin);
        await gate.Held;
        _ollama.Remove(Model); // the held batch is answered, the next one finds no model
        gate.Release();

        var failed = await WaitForAsync(service, kb, k => k.EmbedderSwitch?.State == "failed");
        Assert.Equal("builtin", failed.Embedder.Provider);
        Assert.Contains("not found", failed.EmbedderSwitch.Error);
        Assert.Equal(BatchSize * 2, failed.EmbedderSwitch.ChunksDone);
        Assert.Equal(before, await SearchAsync(service, kb, "laptop device management"));
        Assert.All(await DimensionsAsync(service, kb), d => Assert.Equal((384, 384), (d.Dimension, d.Vector)));

        _ollama.Install(Model);
        var retried = await service.Client.ChangeEmbedderAsync(new ChangeEmbedderRequest { KnowledgeBaseId = kb.Id, Embedder = Ollama }, service.Admin);
        // the few chunks left may already be embedded and swapped in by the time the answer is read
        if (retried.EmbedderSwitch is { } resumed)
            Assert.Equal(("running", ""), (resumed.State, resumed.Error));
        else
            Assert.Equal("ollama", retried.Embedder.Provider);
        var done = await CompletedAsync(service, kb);
        Assert.Equal("ollama", done.Embedder.Provider);
        Assert.All(await DimensionsAsync(service, kb), d => Assert.Equal((OllamaDimension, OllamaDimension, false), d));
    }

    [Fact]
    public async Task Switching_to_the_built_in_model_re_embeds_with_it_and_search_finds_by_meaning()
    {
        var service = await StartAsync();
        var kb = await service.Client.CreateKnowledgeBaseAsync(new CreateKnowledgeBaseRequest
        {
            Name = "to-model", Embedder = new EmbedderSpec { Provider = "builtin", Dimension = 256 },
        }, service.Admin);
        var source = await service.AddUploadSourceAsync(kb);
        foreach (var (name, text) in Documents[..3])
            await service.UploadAsync(source, name, text);

        var started = await service.Client.ChangeEmbedderAsync(new ChangeEmbedderRequest
        {
            KnowledgeBaseId = kb.Id, Embedder = new EmbedderSpec { Provider = "builtin-model" },
        }, service.Admin);
        Assert.Equal(new EmbedderSpec { Provider = "builtin-model", Model = "arctic-embed-xs", Dimension = 384 }, started.EmbedderSwitch.Embedder);

        var done = await CompletedAsync(service, kb);
        Assert.Equal(new EmbedderSpec { Provider = "builtin-model", Model = "arctic-embed-xs", Dimension = 384 }, done.Embedder);
        Assert.All(await DimensionsAsync(service, kb), d => Assert.Equal((384, 384, false), d));
        // No word in common with the badge page: only a model that knows meaning ranks it first.
        var hits = await service.Client.SearchAsync(new SearchRequest { Query = "where do I pick up my access card", KnowledgeBaseIds = { kb.Id }, Mode = "vector" }, service.Admin);
        Assert.Equal("Badge", hits.Hits[0].DocumentTitle);
    }

    [Fact]
    public async Task Only_managers_switch_bad_input_names_the_field_and_the_current_embedder_changes_nothing()
    {
        var service = await StartAsync();
        var kb = await service.CreateKbAsync("guarded", new Grants { Roles = { Roles.Learner, Roles.Instructor } });
        var ollama = new ChangeEmbedderRequest { KnowledgeBaseId = kb.Id, Embedder = Ollama };

        var learner = await Assert.ThrowsAsync<RpcException>(async () => await service.Client.ChangeEmbedderAsync(ollama, service.As(Roles.Learner, "learner-1")));
        Assert.Equal(StatusCode.PermissionDenied, learner.StatusCode);
        // An instructor who may read it but did not create it.
        var instructor = await Assert.ThrowsAsync<RpcException>(async () => await service.Client.ChangeEmbedderAsync(ollama, service.As(Roles.Instructor, "instructor-9")));
        Assert.Equal(StatusCode.PermissionDenied, instructor.StatusCode);
        var hidden = await service.CreateKbAsync("hidden");
        var notFound = await Assert.ThrowsAsync<RpcException>(async () => await service.Client.ChangeEmbedderAsync(
            new ChangeEmbedderRequest { KnowledgeBaseId = hidden.Id, Embedder = Ollama }, service.As(Roles.Learner, "learner-1")));
        Assert.Equal(StatusCode.NotFound, notFound.StatusCode);

        foreach (var (request, field) in new (ChangeEmbedderRequest, string)[]
        {
            (new() { KnowledgeBaseId = "not-a-uuid", Embedder = Ollama }, "knowledge_base_id"),
            (new() { KnowledgeBaseId = kb.Id }, "embedder.provider"),
            (new() { KnowledgeBaseId = kb.Id, Embedder = new EmbedderSpec { Provider = "word2vec" } }, "embedder.provider"),
            (new() { KnowledgeBaseId = kb.Id, Embedder = new EmbedderSpec { Provider = "builtin", Dimension = 5000 } }, "embedder.dimension"),
            (new() { KnowledgeBaseId = kb.Id, Embedder = new EmbedderSpec { Provider = "builtin-model", Model = "bert-huge" } }, "embedder.model"),
        })
        {
            var bad = await Assert.ThrowsAsync<RpcException>(async () => await service.Client.ChangeEmbedderAsync(request, service.Admin));
            Assert.Equal(StatusCode.InvalidArgument, bad.StatusCode);
            Assert.StartsWith(field + ":", bad.Status.Detail);
        }

        var silent = await Assert.ThrowsAsync<RpcException>(async () => await service.Client.ChangeEmbedderAsync(
            new ChangeEmbedderRequest { KnowledgeBaseId = kb.Id, Embedder = new EmbedderSpec { Provider = "ollama", Model = "not-pulled" } }, service.Admin));
        Assert.Equal(StatusCode.FailedPrecondition, silent.StatusCode);
        Assert.StartsWith("embedder: the ollama embedder does not answer", silent.Status.Detail);

        var same = await service.Client.ChangeEmbedderAsync(new ChangeEmbedderRequest { KnowledgeBaseId = kb.Id, Embedder = new EmbedderSpec { Provider = "builtin" } }, service.Admin);
        Assert.Equal(kb.Embedder, same.Embedder);
        Assert.Null(same.EmbedderSwitch);
    }

    private static async Task<List<(string Title, double Score)>> SearchAsync(RetrievalTestHost service, KnowledgeBase kb, string query) =>
        (await service.Client.SearchAsync(new SearchRequest { Query = query, KnowledgeBaseIds = { kb.Id }, Mode = "vector" }, service.Admin))
        .Hits.Select(h => (h.DocumentTitle, h.VectorScore)).ToList();

    private static Task<KnowledgeBase> CompletedAsync(RetrievalTestHost service, KnowledgeBase kb) =>
        WaitForAsync(service, kb, k => k.EmbedderSwitch is null);

    /// <summary>Polls GetKnowledgeBase (what a user watching the page sees) until <paramref name="condition"/> holds.</summary>
    private static async Task<KnowledgeBase> WaitForAsync(RetrievalTestHost service, KnowledgeBase kb, Func<KnowledgeBase, bool> condition)
    {
        using var patience = new CancellationTokenSource(Patience);
        while (true)
        {
            var now = await service.Client.GetKnowledgeBaseAsync(new GetKnowledgeBaseRequest { Id = kb.Id }, service.Admin);
            if (condition(now))
                return now;
            await Task.Delay(TimeSpan.FromMilliseconds(100), patience.Token);
        }
    }

    /// <summary>Per chunk: the recorded dimension, the searched vector's, and whether a target vector waits beside it.</summary>
    private static async Task<List<(int Dimension, int Vector, bool HasNext)>> DimensionsAsync(RetrievalTestHost service, KnowledgeBase kb, string? uri = null)
    {
        await using var connection = await OpenAsync(service);
        var rows = await connection.QueryAsync<(int, int, bool)>("""
            SELECT c.dimension, vector_dims(c.embedding), c.next_embedding IS NOT NULL
            FROM retrieval.chunks c JOIN retrieval.documents d ON d.id = c.document_id
            WHERE c.kb_id = @kb AND (@uri::text IS NULL OR d.uri = @uri)
            """, new { kb = Guid.Parse(kb.Id), uri });
        return rows.ToList();
    }

    private static async Task<NpgsqlConnection> OpenAsync(RetrievalTestHost service)
    {
        var connection = new NpgsqlConnection(service.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}
