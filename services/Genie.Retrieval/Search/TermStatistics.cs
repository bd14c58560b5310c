using Npgsql;

namespace Genie.Retrieval.Search;

/// <summary>
/// What the search needs to know about the corpus, cached per process: how common each full-text
/// lexeme is (the planner's own sample of <c>chunks.search_text</c>: <c>pg_stats.most_common_elems</c>,
/// kept fresh by ANALYZE), how many chunks each knowledge base holds and their lexemes in all (the
/// average chunk length BM25 normalises by). Refreshed in the background
/// once older than <see cref="MaxAge"/>; a knowledge base it has not seen yet triggers a refresh at
/// once (at most every few seconds), so a freshly filled one is never mistaken for an empty one.
/// </summary>
public sealed class TermStatistics(NpgsqlDataSource db)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MinRefreshInterval = TimeSpan.FromSeconds(3);

    private Snapshot? _current;
    private Task<Snapshot>? _refreshing;
    private readonly Lock _gate = new();

    public sealed record Snapshot(IReadOnlyDictionary<string, float> LexemeFrequency, float UnlistedFrequency,
        IReadOnlyDictionary<Guid, long> ChunksPerKnowledgeBase, IReadOnlyDictionary<Guid, long> LexemesPerKnowledgeBase, DateTime TakenAt)
    {
        /// <summary>Share of all chunks that contain the lexeme (0..1); lexemes too rare to be listed get the bound below the listed ones.</summary>
        public float Frequency(string lexeme) => LexemeFrequency.TryGetValue(lexeme, out var f) ? f : UnlistedFrequency;

        public long Chunks(IEnumerable<Guid> knowledgeBases) => knowledgeBases.Sum(k => ChunksPerKnowledgeBase.GetValueOrDefault(k));

        /// <summary>Average distinct lexemes per chunk over the knowledge bases; 0 when not known.</summary>
        public double AverageChunkLexemes(IReadOnlyCollection<Guid> knowledgeBases)
        {
            var chunks = Chunks(knowledgeBases);
            return chunks == 0 ? 0 : (double)knowledgeBases.Sum(k => LexemesPerKnowledgeBase.GetValueOrDefault(k)) / chunks;
        }
    }

    public async ValueTask<Snapshot> GetAsync(IReadOnlyCollection<Guid> knowledgeBases, CancellationToken ct)
    {
        var current = Volatile.Read(ref _current);
        if (current is null)
            return await RefreshAsync().WaitAsync(ct);
        if (current.TakenAt == DateTime.MinValue)
            return await RefreshAsync().WaitAsync(ct);
        var age = DateTime.UtcNow - current.TakenAt;
        if (age > MinRefreshInterval && knowledgeBases.Any(k => !current.ChunksPerKnowledgeBase.ContainsKey(k)))
            return await RefreshAsync().WaitAsync(ct);
        if (age > MaxAge)
            _ = RefreshAsync();
        return current;
    }

    /// <summary>After a sync changed the knowledge base sizes: the next search reloads before it plans.</summary>
    public void Invalidate()
    {
        lock (_gate)
        {
            if (_current is { } current)
                _current = current with { TakenAt = DateTime.MinValue };
        }
    }

    private Task<Snapshot> RefreshAsync()
    {
        lock (_gate)
        {
            if (_refreshing is { IsCompleted: false } running)
                return running;
            return _refreshing = LoadAndPublishAsync();
        }
    }

    private async Task<Snapshot> LoadAndPublishAsync()
    {
        try
        {
            var snapshot = await LoadAsync();
            Volatile.Write(ref _current, snapshot);
            return snapshot;
        }
        catch when (_current is { } previous)
        {
            // Statistics only steer cost; a failed refresh keeps the last ones (and retries next time).
            return previous;
        }
    }

    private async Task<Snapshot> LoadAsync()
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("""
                    SELECT most_common_elems::text::text[], most_common_elem_freqs
                    FROM pg_stats WHERE schemaname = 'retrieval' AND tablename = 'chunks' AND attname = 'search_text'
                    """),
                new NpgsqlBatchCommand("SELECT kb_id, sum(chunk_count)::bigint, sum(search_lexemes)::bigint FROM retrieval.documents GROUP BY kb_id"),
                new NpgsqlBatchCommand("SELECT id FROM retrieval.knowledge_bases"),
            },
        };
        await using var reader = await batch.ExecuteReaderAsync();
        var frequencies = new Dictionary<string, float>(StringComparer.Ordinal);
        var unlisted = 0f;
        if (await reader.ReadAsync() && !reader.IsDBNull(0) && !reader.IsDBNull(1))
        {
            var lexemes = reader.GetFieldValue<string[]>(0);
            var freqs = reader.GetFieldValue<float[]>(1);
            for (var i = 0; i < lexemes.Length && i < freqs.Length; i++)
                frequencies[lexemes[i]] = freqs[i];
            // After the per-lexeme values come the minimum and maximum of them (and the null share).
            if (freqs.Length >= lexemes.Length + 2)
                unlisted = freqs[lexemes.Length] / 2;
        }
        await reader.NextResultAsync();
        var chunks = new Dictionary<Guid, long>();
        var chunkLexemes = new Dictionary<Guid, long>();
        while (await reader.ReadAsync())
        {
            chunks[reader.GetGuid(0)] = reader.GetInt64(1);
            chunkLexemes[reader.GetGuid(0)] = reader.GetInt64(2);
        }
        await reader.NextResultAsync();
        while (await reader.ReadAsync())
            chunks.TryAdd(reader.GetGuid(0), 0);
        return new Snapshot(frequencies, unlisted, chunks, chunkLexemes, DateTime.UtcNow);
    }
}
