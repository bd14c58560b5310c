using Genie.Retrieval.Embeddings;
using Npgsql;
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
/// full-text matches (GIN, ts_rank_cd), fused with reciprocal-rank fusion. Three round trips, all
/// prepared statements: (1) the question's lexemes and the vector lists, (2) the full-text list,
/// (3) the rows of the fused top k; snippets are cut here.
/// </summary>
public sealed class HybridSearcher(NpgsqlDataSource db, EmbedderFactory embedders, TermStatistics statistics, RetrievalOptions options)
{
    private const string LexemesSql = "SELECT unnest(tsvector_to_array(to_tsvector('english', $1)))";

    // For this transaction (the batch): HNSW breadth, iterative scans so a knowledge-base filter still
    // yields enough rows, and custom plans, since a generic plan of a prepared statement cannot tell an
    // HNSW walk from a scan of the whole knowledge base without the actual vector and limit.
    private const string SettingsSql = """
        SELECT set_config('hnsw.ef_search', $1, true), set_config('hnsw.iterative_scan', 'relaxed_order', true),
               set_config('plan_cache_mode', 'force_custom_plan', true)
        """;

    private const string CustomPlansSql = "SELECT set_config('plan_cache_mode', 'force_custom_plan', true)";

    // Ranking is the costly part: TextQuery aims at TextCandidateCap matching rows; this hard limit,
    // a few times that, only bounds what statistics misjudge and questions made of very common words.
    private const int TextRankLimitFactor = 4;

    private const string FullTextSql = """
        SELECT m.id, ts_rank_cd(m.search_text, m.q) AS rank
        FROM (SELECT c.id, c.search_text, c.context, c.ordinal, q
              FROM retrieval.chunks c, CAST($1 AS tsquery) q
              WHERE c.search_text @@ q AND c.kb_id = ANY($2)
              LIMIT $3) m
        ORDER BY rank DESC, m.context, m.ordinal, m.id
        LIMIT $4
        """;

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
        if (query.KnowledgeBases.Count == 0)
            return [];
        var candidates = Math.Max(query.TopK * 5, options.Search.MinCandidates);
        var kbIds = query.KnowledgeBases.Select(k => k.Id).ToArray();
        var stats = await statistics.GetAsync(kbIds, ct);
        var useText = query.Mode != SearchMode.Vector;
        var useVector = query.Mode != SearchMode.Text;

        // Round trip 1: lexemes of the question, and one nearest-neighbour list per embedder.
        var groups = new List<(EmbedderChoice Embedder, Guid[] Kbs, bool Exact)>();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var first = new NpgsqlBatch(connection);
        if (useText)
            first.BatchCommands.Add(Command(LexemesSql, Text(query.Text)));
        if (useVector)
        {
            first.BatchCommands.Add(Command(SettingsSql,
                Text(Math.Clamp(EfSearch, candidates, 1000).ToString(System.Globalization.CultureInfo.InvariantCulture))));
            foreach (var group in query.KnowledgeBases.GroupBy(k => k.Embedder))
            {
                var ids = group.Select(g => g.Id).ToArray();
                // Small knowledge bases are scanned exactly: cheap, and a filtered HNSW walk over a big
                // shared index would visit mostly other knowledge bases' chunks.
                var exact = stats.Chunks(ids) <= options.Search.ExactSearchMaxChunks;
                using var embedder = embedders.Create(group.Key);
                var vector = (await embedder.GenerateAsync([query.Text], cancellationToken: ct))[0].Vector.ToArray();
                first.BatchCommands.Add(Command(NearestSql(group.Key.Dimension, exact),
                    new NpgsqlParameter { Value = vector, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Real },
                    Uuids(ids), Int(candidates)));
                groups.Add((group.Key, ids, exact));
            }
        }

        var lexemes = new List<string>();
        var lists = new List<IReadOnlyList<Guid>>();
        var vectorScores = new Dictionary<Guid, double>();
        var vectorLists = new HashSet<int>();
        if (first.BatchCommands.Count > 0)
        {
            await first.PrepareAsync(ct);
            await using var reader = await first.ExecuteReaderAsync(ct);
            if (useText)
            {
                while (await reader.ReadAsync(ct))
                    lexemes.Add(reader.GetString(0));
                await reader.NextResultAsync(ct);
            }
            if (useVector)
            {
                await reader.NextResultAsync(ct);
                foreach (var _ in groups)
                {
                    var hits = new List<(Guid Id, double Distance)>();
                    while (await reader.ReadAsync(ct))
                        hits.Add((reader.GetGuid(0), reader.GetDouble(1)));
                    await reader.NextResultAsync(ct);
                    // relaxed_order may return neighbours slightly out of order; rank by true distance.
                    hits.Sort((a, b) => a.Distance.CompareTo(b.Distance));
                    foreach (var (id, distance) in hits)
                        vectorScores.TryAdd(id, 1 - distance);
                    vectorLists.Add(lists.Count);
                    lists.Add(hits.Select(h => h.Id).ToList());
                }
            }
        }

        // Round trip 2: the full-text list, planned from how common each lexeme is.
        var textScores = new Dictionary<Guid, double>();
        var textQuery = useText ? TextQuery.Plan(lexemes, stats.Frequency, stats.Chunks(kbIds), options.Search.TextCandidateCap) : null;
        if (useText)
        {
            var hits = new List<Guid>();
            if (textQuery is not null)
            {
                await using var batch = new NpgsqlBatch(connection)
                {
                    BatchCommands =
                    {
                        Command(CustomPlansSql),
                        Command(FullTextSql, Text(textQuery.Query), Uuids(kbIds), Int(options.Search.TextCandidateCap * TextRankLimitFactor), Int(candidates)),
                    },
                };
                await batch.PrepareAsync(ct);
                await using var reader = await batch.ExecuteReaderAsync(ct);
                await reader.NextResultAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    var id = reader.GetGuid(0);
                    hits.Add(id);
                    textScores[id] = reader.GetFloat(1);
                }
            }
            lists.Add(hits);
        }

        var fused = ReciprocalRankFusion.Fuse(lists, options.Search.RrfK)
            .Where(f => f.Score >= query.MinScore)
            .Take(query.TopK)
            .ToList();
        if (fused.Count == 0)
            return [];

        // Round trip 3: what the fused top k cite.
        var details = new Dictionary<Guid, SearchHitRecord>();
        var snippets = new Snippets(query.Text, textQuery?.Lexemes ?? lexemes);
        await using (var command = Command(connection, DetailsSql, Uuids(fused.Select(f => f.Item).ToArray())))
        {
            await command.PrepareAsync(ct);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var text = reader.GetString(8);
                details[reader.GetGuid(0)] = new SearchHitRecord(reader.GetGuid(0), reader.GetGuid(1), reader.GetGuid(2), reader.GetGuid(3),
                    reader.GetString(4), reader.GetString(5), reader.GetString(6), reader.GetFieldValue<string[]>(7), text, snippets.For(text),
                    0, 0, 0, 0, 0);
            }
        }
        return fused.Where(f => details.ContainsKey(f.Item)).Select(f =>
        {
            var vectorRank = f.Ranks.Where((_, i) => vectorLists.Contains(i)).FirstOrDefault(r => r > 0);
            var textRank = useText ? f.Ranks[^1] : 0;
            return details[f.Item] with
            {
                Score = f.Score,
                VectorScore = vectorScores.GetValueOrDefault(f.Item),
                TextScore = textScores.GetValueOrDefault(f.Item),
                VectorRank = vectorRank,
                TextRank = textRank,
            };
        }).ToList();
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
            WITH q AS (SELECT $1::real[]::vector({dimension}) AS v)
            SELECT c.id, {distance} AS distance
            FROM retrieval.chunks c
            WHERE c.dimension = {dimension} AND c.kb_id = ANY($2)
            ORDER BY {distance}
            LIMIT $3
            """;
    }

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlParameter Text(string value) => new() { Value = value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter Int(int value) => new() { Value = value, NpgsqlDbType = NpgsqlDbType.Integer };

    private static NpgsqlParameter Uuids(Guid[] value) => new() { Value = value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid };
}
