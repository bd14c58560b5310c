using Genie.Retrieval.Chunking;
using Microsoft.Extensions.Configuration;

namespace Genie.Retrieval;

/// <summary><c>Genie:Retrieval:Search</c>: candidate depths and fusion.</summary>
public sealed class SearchOptions
{
    /// <summary>The k of reciprocal-rank fusion: 1/(k + rank).</summary>
    public int RrfK { get; set; } = 30;

    /// <summary>
    /// Weight of each vector list in the fusion (the full-text list weighs <see cref="TextWeight"/>);
    /// chosen on the dev sets with <c>eval --sweep</c> (see the README).
    /// </summary>
    public double VectorWeight { get; set; } = 2.0;

    public double TextWeight { get; set; } = 1.0;

    /// <summary>Each list (vector, text) contributes at least this many candidates (and top_k × 5).</summary>
    public int MinCandidates { get; set; } = 50;

    /// <summary>
    /// HNSW search breadth (pgvector hnsw.ef_search); raised to the candidate count when lower. CPU per
    /// vector search grows about linearly with it; recall against exact search too: 200 gave 0.97 at 100k chunks
    /// of model vectors (see the README, "Vector index").
    /// </summary>
    public int EfSearch { get; set; } = 200;

    /// <summary>
    /// About this many full-text matches are ranked per query: the rarest words of the question that
    /// fit this budget choose the candidates (see TextQuery); it is also a hard limit.
    /// </summary>
    public int TextCandidateCap { get; set; } = 100;

    /// <summary>Knowledge bases searched together with at most this many chunks are scanned exactly instead of through HNSW.</summary>
    public int ExactSearchMaxChunks { get; set; } = 2000;
}

/// <summary><c>Genie:Retrieval</c> settings.</summary>
public sealed class RetrievalOptions
{
    /// <summary>Instructors manage only the knowledge bases they created (else every one).</summary>
    public bool InstructorsManageOwnOnly { get; set; } = true;

    /// <summary>Largest file UploadDocument accepts (the rpc's message limit is a little above it).</summary>
    public int MaxUploadBytes { get; set; } = UploadMessageLimit - 64 * 1024;

    /// <summary>Largest document a sync indexes; bigger ones are recorded as errors.</summary>
    public long MaxDocumentBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>Documents indexed at once during a sync.</summary>
    public int SyncParallelism { get; set; } = 3;

    /// <summary>How often the scheduler looks for sources due for a re-sync.</summary>
    public int SchedulerPollSeconds { get; set; } = 30;

    /// <summary>Chunks embedded and committed together when a knowledge base switches embedder (a restart loses at most one batch).</summary>
    public int ReembedBatchSize { get; set; } = 64;

    public ChunkingOptions Chunking { get; set; } = new();

    public SearchOptions Search { get; set; } = new();

    public const int UploadMessageLimit = 32 * 1024 * 1024;

    public static RetrievalOptions FromConfiguration(IConfiguration configuration)
    {
        var options = new RetrievalOptions();
        configuration.GetSection("Genie:Retrieval").Bind(options);
        return options;
    }
}
