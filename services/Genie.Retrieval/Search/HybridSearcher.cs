using Dapper;
using Genie.Retrieval.Embeddings;
using Npgsql;

namespace Genie.Retrieval.Search;

public enum SearchMode
{
    Hybrid,
    Vector,
    Text,
}

public sealed record SearchQuery(string Text, IReadOnlyList<(Guid Id, EmbedderChoice Embedder)> KnowledgeBases, int TopK, double MinScore, SearchMode Mode);

public sealed record SearchHitRecord(
    Guid ChunkId, Guid DocumentId, Guid KnowledgeBaseId, Guid SourceId, string SourceName, string DocumentTitle, string Uri,
    IReadOnlyList<string> HeadingPath, string Text, string Snippet, double Score, double VectorScore, double TextScore, int VectorRank, int TextRank);

/// <summary>
/// Hybrid search: nearest chunks by cosine distance (HNSW, one list per embedder in play) and best
/// full-text matches (GIN, ts_rank_cd), fused with reciprocal-rank fusion.
/// </summary>
public sealed class HybridSearcher(NpgsqlDataSource db, EmbedderFactory embedders, RetrievalOptions options)
{
    public int EfSearch => options.Search.EfSearch;

    private int TextCandidateCap => options.Search.TextCandidateCap;

    public async Task<IReadOnlyList<SearchHitRecord>> SearchAsync(SearchQuery query, CancellationToken ct)
    {
        if (query.KnowledgeBases.Count == 0)
            return [];
        var candidates = Math.Max(query.TopK * 5, options.Search.MinCandidates);
        var lists = new List<IReadOnlyList<Guid>>();
        var vectorScores = new Dictionary<Guid, double>();
        var textScores = new Dictionary<Guid, double>();
        var vectorLists = new HashSet<int>();
        var textQuery = query.Mode == SearchMode.Vector ? null : TextQuery.Build(query.Text);

        await using var connection = await db.OpenConnectionAsync(ct);
        if (query.Mode != SearchMode.Text)
        {
            foreach (var group in query.KnowledgeBases.GroupBy(k => k.Embedder))
            {
                using var embedder = embedders.Create(group.Key);
                var vector = (await embedder.GenerateAsync([query.Text], cancellationToken: ct))[0].Vector.ToArray();
                var hits = await NearestAsync(connection, group.Key.Dimension, vector, group.Select(g => g.Id).ToArray(), candidates, ct);
                foreach (var (id, similarity) in hits)
                    vectorScores[id] = similarity;
                vectorLists.Add(lists.Count);
                lists.Add(hits.Select(h => h.Id).ToList());
            }
        }
        if (textQuery is not null)
        {
            var kbIds = query.KnowledgeBases.Select(k => k.Id).ToArray();
            var hits = textQuery.AtLeastTwo is { } pairs ? await FullTextAsync(connection, pairs, kbIds, candidates, ct) : [];
            if (hits.Count < Math.Min(candidates, query.TopK * 2))
            {
                var seen = hits.Select(h => h.Id).ToHashSet();
                hits.AddRange((await FullTextAsync(connection, textQuery.Any, kbIds, candidates, ct)).Where(h => !seen.Contains(h.Id)));
                hits = hits.Take(candidates).ToList();
            }
            foreach (var (id, rank) in hits)
                textScores[id] = rank;
            lists.Add(hits.Select(h => h.Id).ToList());
        }

        var fused = ReciprocalRankFusion.Fuse(lists, options.Search.RrfK)
            .Where(f => f.Score >= query.MinScore)
            .Take(query.TopK)
            .ToList();
        if (fused.Count == 0)
            return [];
        var details = await DetailsAsync(connection, fused.Select(f => f.Item).ToArray(), TextQuery.Build(query.Text)?.Any, ct);
        return fused.Where(f => details.ContainsKey(f.Item)).Select(f =>
        {
            var d = details[f.Item];
            var vectorRank = f.Ranks.Where((_, i) => vectorLists.Contains(i)).FirstOrDefault(r => r > 0);
            var textRank = textQuery is null ? 0 : f.Ranks[^1];
            return new SearchHitRecord(d.Id, d.DocumentId, d.KbId, d.SourceId, d.SourceName, d.Title, d.Uri, d.HeadingPath, d.Text, d.Snippet,
                f.Score, vectorScores.GetValueOrDefault(f.Item), textScores.GetValueOrDefault(f.Item), vectorRank, textRank);
        }).ToList();
    }

    private async Task<List<(Guid Id, double Similarity)>> NearestAsync(NpgsqlConnection connection, int dimension, float[] vector, Guid[] kbs, int limit, CancellationToken ct)
    {
        // The dimension is an integer from the knowledge base row; inlining it lets the planner use the partial HNSW index.
        await using var tx = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            $"SET LOCAL hnsw.ef_search = {Math.Clamp(EfSearch, limit, 1000)}; SET LOCAL hnsw.iterative_scan = relaxed_order", transaction: tx, cancellationToken: ct));
        var rows = await connection.QueryAsync<(Guid Id, double Distance)>(new CommandDefinition($"""
            SELECT id, embedding::vector({dimension}) <=> @vector::real[]::vector({dimension}) AS distance
            FROM retrieval.chunks
            WHERE dimension = {dimension} AND kb_id = ANY(@kbs)
            ORDER BY embedding::vector({dimension}) <=> @vector::real[]::vector({dimension})
            LIMIT @limit
            """, new { vector, kbs, limit }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        // relaxed_order may return neighbours slightly out of order; rank by true distance.
        return rows.OrderBy(r => r.Distance).Select(r => (r.Id, 1 - r.Distance)).ToList();
    }

    private async Task<List<(Guid Id, double Rank)>> FullTextAsync(NpgsqlConnection connection, string tsQuery, Guid[] kbs, int limit, CancellationToken ct)
    {
        // Ranking is the costly part; a query of common words can match most of a corpus, so at most
        // TextCandidateCap matches are ranked (the "two of the words" query keeps that set specific).
        var rows = await connection.QueryAsync<(Guid Id, float Rank)>(new CommandDefinition("""
            SELECT m.id, ts_rank_cd(m.search_text, m.q) AS rank
            FROM (SELECT c.id, c.search_text, c.context, c.ordinal, q
                  FROM retrieval.chunks c, to_tsquery('english', @tsQuery) q
                  WHERE c.kb_id = ANY(@kbs) AND c.search_text @@ q
                  LIMIT @cap) m
            ORDER BY rank DESC, m.context, m.ordinal, m.id
            LIMIT @limit
            """, new { tsQuery, kbs, limit, cap = TextCandidateCap }, cancellationToken: ct));
        return rows.Select(r => (r.Id, (double)r.Rank)).ToList();
    }

    private static async Task<Dictionary<Guid, DetailRow>> DetailsAsync(NpgsqlConnection connection, Guid[] ids, string? tsQuery, CancellationToken ct)
    {
        var snippet = tsQuery is null
            ? "left(c.text, 240)"
            : "ts_headline('english', c.text, to_tsquery('english', @tsQuery), 'StartSel=<mark>, StopSel=</mark>, MaxWords=40, MinWords=15, MaxFragments=2, FragmentDelimiter=\" … \"')";
        var rows = await connection.QueryAsync<DetailRow>(new CommandDefinition($"""
            SELECT c.id, c.document_id, c.kb_id, d.source_id, s.name AS source_name, d.title, d.uri, c.heading_path, c.text, {snippet} AS snippet
            FROM retrieval.chunks c
            JOIN retrieval.documents d ON d.id = c.document_id
            JOIN retrieval.sources s ON s.id = d.source_id
            WHERE c.id = ANY(@ids)
            """, new { ids, tsQuery }, cancellationToken: ct));
        return rows.ToDictionary(r => r.Id);
    }

    private sealed class DetailRow
    {
        public Guid Id { get; set; }
        public Guid DocumentId { get; set; }
        public Guid KbId { get; set; }
        public Guid SourceId { get; set; }
        public string SourceName { get; set; } = null!;
        public string Title { get; set; } = null!;
        public string Uri { get; set; } = null!;
        public string[] HeadingPath { get; set; } = null!;
        public string Text { get; set; } = null!;
        public string Snippet { get; set; } = null!;
    }
}
