using Genie.Retrieval.Embeddings;
using Genie.ServiceDefaults.Database;
using Genie.ServiceDefaults.Text;
using Npgsql;
using Pgvector;
using NpgsqlTypes;

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
/// Hybrid search: nearest chunks by cosine distance (one list per embedder in play) and best
/// full-text matches (GIN candidates, BM25 with a proximity term), fused with reciprocal-rank fusion. Prepared statements throughout:
/// the vector lists (one round trip) and the full-text list (the question's lexemes, then the planned query)
/// run at once on two connections; then one round trip for the rows the fused top k cite.
/// </summary>
public sealed class HybridSearcher(NpgsqlDataSource db, EmbedderFactory embedders, TermStatistics statistics, RetrievalOptions options)
{
    private const string LexemesSql = "SELECT unnest(tsvector_to_array(to_tsvector('english', $1)))";

    // Both sides' statements need custom plans, set for the transaction (the batch) they run in: a generic
    // plan of a prepared statement sees neither the question's vector and limit (it cannot tell an HNSW
    // walk from a scan of the whole knowledge base) nor how rare its lexemes are (see FullTextSql).
    private const string CustomPlans = "set_config('plan_cache_mode', 'force_custom_plan', true)";

    private const string CustomPlanSql = $"SELECT {CustomPlans}";

    // Also HNSW breadth, and iterative scans so a knowledge-base filter still yields enough rows. Whether a
    // knowledge base is walked through HNSW or scanned exactly is decided here (ExactSearchMaxChunks), not by the
    // planner: pgvector's cost estimate grows with ef_search, and at 400 the planner was seen to sort 10k chunks
    // instead (28 ms of PostgreSQL CPU per query instead of 5). The exact statements have no index to use, so
    // enable_sort = off changes nothing for them.
    private const string SettingsSql = $"""
        SELECT set_config('hnsw.ef_search', $1, true), set_config('hnsw.iterative_scan', 'relaxed_order', true),
               set_config('enable_sort', 'off', true), {CustomPlans}
        """;

    // Ranking is the costly part: TextQuery aims at TextCandidateCap matching rows; this hard limit,
    // a few times that, only bounds what statistics misjudge and questions made of very common words.
    // The knowledge-base test is wrapped so the planner filters the few GIN matches instead of
    // AND-ing them with a bitmap of every chunk of the knowledge base. The statement needs a custom
    // plan: a generic one cannot see how rare the query's lexemes are and was seen to choose a
    // sequential scan that tests every chunk (27 ms of PostgreSQL CPU per query at 10k chunks instead of 4).
    private const int TextRankLimitFactor = 4;

    // BM25 (Search/Bm25.cs) over the candidates the GIN match yields, for the question's lexemes and their idf
    // ($5, $6); $7 is the average chunk length (0: not known, then lengths are not normalised). Only the question's
    // lexemes of each candidate's tsvector are unnested: setweight marks them D (search_text holds only A and B) and
    // ts_filter keeps them, once over the whole vector (every position) and once over its title and heading part
    // (weight A). Unnesting whole vectors instead cost 3× ts_rank_cd's CPU at 100k chunks. To BM25 the proximity
    // term adds ts_rank_cd of the planned query (cover density: the question's words close together).
    private static readonly string FullTextSql = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"""
        SELECT m.id, bm25.score + {Bm25.ProximityWeight} * ts_rank_cd(m.search_text, m.q) AS rank
        FROM (SELECT c.id, c.search_text, c.context, c.ordinal, q
              FROM retrieval.chunks c, CAST($1 AS tsquery) q
              WHERE c.search_text @@ q AND coalesce(c.kb_id = ANY($2), false)
              LIMIT $3) m,
             LATERAL (SELECT coalesce(sum(w.idf * t.tf * {Bm25.K1 + 1} / (t.tf + {Bm25.K1} * t.norm)), 0)::float8 AS score
                      FROM unnest(ts_filter(setweight(m.search_text, 'D', $5::text[]), ARRAY['d']::"char"[])) u
                      LEFT JOIN unnest(ts_filter(setweight(ts_filter(m.search_text, ARRAY['a']::"char"[]), 'D', $5::text[]), ARRAY['d']::"char"[])) title ON title.lexeme = u.lexeme
                      JOIN unnest($5::text[], $6::float8[]) w(lexeme, idf) ON w.lexeme = u.lexeme,
                      LATERAL (SELECT cardinality(u.positions) + {Bm25.TitleWeight - 1} * coalesce(cardinality(title.positions), 0) AS tf,
                                      CASE WHEN $7 > 0 THEN {1 - Bm25.B} + {Bm25.B} * length(m.search_text) / $7 ELSE 1 END AS norm) t) bm25
        ORDER BY rank DESC, m.context, m.ordinal, m.id
        LIMIT $4
        """);

    private const string DetailsSql = """
        SELECT c.id, c.document_id, c.kb_id, d.source_id, s.name, d.title, d.uri, c.heading_path, c.text
        FROM retrieval.chunks c
        JOIN retrieval.documents d ON d.id = c.document_id
        JOIN retrieval.sources s ON s.id = d.source_id
        WHERE c.id = ANY($1)
        """;

    public int EfSearch => options.Search.EfSearch;

    public async Task<IReadOnlyList<SearchHitRecord>> SearchAsync(SearchQuery query, CancellationToken ct)
    {
        query = query with { Text = QuestionText.Normalise(query.Text) };
        if (query.KnowledgeBases.Count == 0 || query.Text.Length == 0)
            return [];
        var candidates = Math.Max(query.TopK * 5, options.Search.MinCandidates);
        var kbIds = query.KnowledgeBases.Select(k => k.Id).ToArray();
        var stats = await statistics.GetAsync(kbIds, ct);

        // The two sides run at once, each on its own connection: a hybrid search waits for the slower one, not both.
        var textSide = query.Mode == SearchMode.Vector ? Task.FromResult(TextSide.None) : FullTextAsync(query.Text, kbIds, stats, candidates, ct);
        var vectorSide = query.Mode == SearchMode.Text ? Task.FromResult(VectorSide.None) : NearestAsync(query, stats, candidates, ct);
        await Task.WhenAll(textSide, vectorSide); // both finish (and both failures are observed) before either is read
        var (text, vector) = (await textSide, await vectorSide);

        var lists = new List<IReadOnlyList<Guid>>(vector.Lists);
        if (query.Mode != SearchMode.Vector)
            lists.Add(text.Hits);
        var weights = vector.Lists.Select(_ => options.Search.VectorWeight).Append(options.Search.TextWeight).ToList();
        var fused = ReciprocalRankFusion.Fuse(lists, options.Search.RrfK, weights)
            .Where(f => f.Score >= query.MinScore)
            .Take(query.TopK)
            .ToList();
        if (fused.Count == 0)
            return [];

        // What the fused top k cite; snippets are cut here.
        var details = new Dictionary<Guid, SearchHitRecord>();
        var snippets = new Snippets(query.Text, text.Lexemes);
        await using (var connection = await db.OpenConnectionAsync(ct))
        await using (var command = Command(connection, DetailsSql, Uuids(fused.Select(f => f.Item).ToArray())))
        {
            await command.PrepareAsync(ct);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var chunkText = reader.GetString(8);
                details[reader.GetGuid(0)] = new SearchHitRecord(reader.GetGuid(0), reader.GetGuid(1), reader.GetGuid(2), reader.GetGuid(3),
                    reader.GetString(4), reader.GetString(5), reader.GetString(6), reader.GetFieldValue<string[]>(7), chunkText, snippets.For(chunkText),
                    0, 0, 0, 0, 0);
            }
        }
        return fused.Where(f => details.ContainsKey(f.Item)).Select(f => details[f.Item] with
        {
            Score = f.Score,
            VectorScore = vector.Scores.GetValueOrDefault(f.Item),
            TextScore = text.Scores.GetValueOrDefault(f.Item),
            VectorRank = f.Ranks.Take(vector.Lists.Count).FirstOrDefault(r => r > 0),
            TextRank = query.Mode != SearchMode.Vector ? f.Ranks[^1] : 0,
        }).ToList();
    }

    private sealed record TextSide(IReadOnlyList<Guid> Hits, IReadOnlyDictionary<Guid, double> Scores, IReadOnlyList<string> Lexemes)
    {
        public static readonly TextSide None = new([], new Dictionary<Guid, double>(), []);
    }

    private sealed record VectorSide(IReadOnlyList<IReadOnlyList<Guid>> Lists, IReadOnlyDictionary<Guid, double> Scores)
    {
        public static readonly VectorSide None = new([], new Dictionary<Guid, double>());
    }

    /// <summary>The full-text list: the question's lexemes, then a query planned from how common each is.</summary>
    private async Task<TextSide> FullTextAsync(string question, Guid[] kbIds, TermStatistics.Snapshot stats, int candidates, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var lexemes = new List<string>();
        await using (var command = Command(connection, LexemesSql, Text(question)))
        {
            await command.PrepareAsync(ct);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                lexemes.Add(reader.GetString(0));
        }

        var scope = stats.Chunks(kbIds);
        var textQuery = TextQuery.Plan(lexemes, stats.Frequency, scope, options.Search.TextCandidateCap);
        if (textQuery is null)
            return TextSide.None with { Lexemes = lexemes };
        var hits = new List<Guid>();
        var scores = new Dictionary<Guid, double>();
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                SqlBatch.Command(CustomPlanSql),
                SqlBatch.Command(FullTextSql, Text(textQuery.Query), Uuids(kbIds), Int(options.Search.TextCandidateCap * TextRankLimitFactor), Int(candidates),
                    Texts(textQuery.Lexemes.ToArray()), Doubles(textQuery.Lexemes.Select(l => Bm25.Idf(stats.Frequency(l), scope)).ToArray()),
                    Double(stats.AverageChunkLexemes(kbIds))),
            },
        };
        await batch.PrepareAsync(ct);
        await using (var reader = await batch.ExecuteReaderAsync(ct))
        {
            await reader.NextResultAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var id = reader.GetGuid(0);
                hits.Add(id);
                scores[id] = reader.GetDouble(1);
            }
        }
        return new TextSide(hits, scores, textQuery.Lexemes);
    }

    /// <summary>One nearest-neighbour list per embedder in play, in one round trip.</summary>
    private async Task<VectorSide> NearestAsync(SearchQuery query, TermStatistics.Snapshot stats, int candidates, CancellationToken ct)
    {
        var groups = query.KnowledgeBases.GroupBy(k => k.Embedder).ToList();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(SqlBatch.Command(SettingsSql,
            Text(Math.Clamp(EfSearch, candidates, 1000).ToString(System.Globalization.CultureInfo.InvariantCulture))));
        foreach (var group in groups)
        {
            var ids = group.Select(g => g.Id).ToArray();
            // Small knowledge bases are scanned exactly: cheap, and a filtered HNSW walk over a big
            // shared index would visit mostly other knowledge bases' chunks.
            var exact = stats.Chunks(ids) <= options.Search.ExactSearchMaxChunks;
            using var embedder = embedders.CreateForQueries(group.Key);
            var vector = new Vector((await embedder.GenerateAsync([query.Text], cancellationToken: ct))[0].Vector);
            batch.BatchCommands.Add(SqlBatch.Command(NearestSql(group.Key.Dimension, exact),
                new NpgsqlParameter { Value = vector },
                Uuids(ids), Int(candidates)));
        }

        var lists = new List<IReadOnlyList<Guid>>();
        var scores = new Dictionary<Guid, double>();
        await batch.PrepareAsync(ct);
        await using var reader = await batch.ExecuteReaderAsync(ct);
        foreach (var _ in groups)
        {
            await reader.NextResultAsync(ct);
            var hits = new List<(Guid Id, double Distance)>();
            while (await reader.ReadAsync(ct))
                hits.Add((reader.GetGuid(0), reader.GetDouble(1)));
            // relaxed_order may return neighbours slightly out of order; rank by true distance.
            hits.Sort((a, b) => a.Distance.CompareTo(b.Distance));
            foreach (var (id, distance) in hits)
                scores.TryAdd(id, 1 - distance);
            lists.Add(hits.Select(h => h.Id).ToList());
        }
        return new VectorSide(lists, scores);
    }

    /// <summary>
    /// Nearest chunks of one dimension. The dimension is an integer from the knowledge base row;
    /// inlining it lets the planner use that dimension's partial HNSW index, whose expression the
    /// approximate query repeats; the exact query compares the bare column, which no index serves.
    /// </summary>
    private static string NearestSql(int dimension, bool exact)
    {
        var distance = exact ? "c.embedding <=> (SELECT v FROM q)" : $"c.embedding::vector({dimension}) <=> (SELECT v FROM q)";
        return $"""
            WITH q AS (SELECT $1::vector({dimension}) AS v)
            SELECT c.id, {distance} AS distance
            FROM retrieval.chunks c
            WHERE c.dimension = {dimension} AND c.kb_id = ANY($2)
            ORDER BY {distance}
            LIMIT $3
            """;
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlParameter Text(string value) => new() { Value = value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter Texts(string[] value) => new() { Value = value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };

    private static NpgsqlParameter Doubles(double[] value) => new() { Value = value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Double };

    private static NpgsqlParameter Double(double value) => new() { Value = value, NpgsqlDbType = NpgsqlDbType.Double };

    private static NpgsqlParameter Int(int value) => new() { Value = value, NpgsqlDbType = NpgsqlDbType.Integer };

    private static NpgsqlParameter Uuids(Guid[] value) => new() { Value = value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid };
}
