using Dapper;
using Genie.Contracts.Retrieval.V1;
using Genie.Retrieval.Embeddings;
using Genie.Retrieval.KnowledgeBases;
using Genie.Retrieval.Parsing;
using Genie.Retrieval.Search;
using Genie.Retrieval.Sources;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Genie.Retrieval.Ingestion;

/// <summary>The source is being synced by another call or replica right now.</summary>
public sealed class SyncInProgressException(Guid sourceId) : Exception($"source {sourceId} is already syncing");

/// <summary>
/// Runs one sync of a source: discover, index each document (incremental by content hash, errors
/// recorded per document), remove documents that vanished, record the run, report progress.
/// One sync per source at a time across replicas (session advisory lock).
/// </summary>
public sealed class SyncRunner(
    NpgsqlDataSource db,
    KnowledgeBaseStore knowledgeBases,
    DocumentSourceFactory sources,
    DocumentIndexer indexer,
    EmbedderFactory embedders,
    TermStatistics statistics,
    RetrievalOptions options,
    ILogger<SyncRunner> logger)
{
    public async Task<SyncRun> RunAsync(SourceRecord source, string trigger, Func<SyncProgress, Task> report, CancellationToken ct,
        IReadOnlyCollection<string>? onlyUris = null)
    {
        await using var lockConnection = await db.OpenConnectionAsync(ct);
        var locked = await lockConnection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT pg_try_advisory_lock(hashtext('retrieval.sync'), hashtext(@id))", new { id = source.Id.ToString() }, cancellationToken: ct));
        if (!locked)
            throw new SyncInProgressException(source.Id);
        try
        {
            return await RunLockedAsync(source, trigger, report, onlyUris, ct);
        }
        finally
        {
            await lockConnection.ExecuteAsync("SELECT pg_advisory_unlock(hashtext('retrieval.sync'), hashtext(@id))", new { id = source.Id.ToString() });
        }
    }

    private async Task<SyncRun> RunLockedAsync(SourceRecord source, string trigger, Func<SyncProgress, Task> report,
        IReadOnlyCollection<string>? onlyUris, CancellationToken ct)
    {
        var runId = Guid.CreateVersion7();
        var counts = new SyncCounts();
        var errors = new List<DocumentError>();
        // Holding the source's lock, no other run of it is alive: a 'running' one was cut short by a stopped process.
        await ExecuteAsync(FailInterruptedSql + """

            INSERT INTO retrieval.sync_runs (id, source_id, trigger, status) VALUES (@runId, @sourceId, @trigger, 'running');
            UPDATE retrieval.sources SET status = 'syncing' WHERE id = @sourceId;
            """, new { runId, sourceId = source.Id, trigger }, ct);

        string status;
        var runError = "";
        try
        {
            var kb = await knowledgeBases.FindAsync(source.KnowledgeBaseId, ct) ?? throw new SourceUnavailableException("the knowledge base is gone");
            var target = new IndexTarget(kb.Id, source.Id, kb.Embedder);
            using var embedder = embedders.Create(kb.Embedder);
            await using var documentSource = await sources.OpenAsync(source, ct);

            await report(Progress(runId, "discovering", 0, 0, "", counts));
            var items = await documentSource.DiscoverAsync(ct);
            if (onlyUris is not null)
                items = items.Where(i => onlyUris.Contains(i.Uri)).ToList();
            var done = 0;
            var gate = new SemaphoreSlim(1, 1);
            // Documents are independent: index a few at once so parsing/embedding here overlaps the database's HNSW work.
            await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.SyncParallelism), CancellationToken = ct }, async (item, itemCt) =>
            {
                IndexResult? result = null;
                string? error = null;
                try
                {
                    var content = await documentSource.ReadAsync(item, itemCt);
                    if (content.Bytes.LongLength > options.MaxDocumentBytes)
                        throw new DocumentParseException($"the document is {content.Bytes.LongLength} bytes; the limit is {options.MaxDocumentBytes}");
                    var contentType = DocumentFormats.Resolve(content.ContentType ?? item.ContentType, item.Uri) ?? DocumentFormats.Markdown;
                    try
                    {
                        result = await indexer.IndexAsync(target, item.Uri, item.Name, content.Bytes, contentType, embedder, itemCt);
                    }
                    catch (EmbedderChangedException)
                    {
                        // An embedder switch completed meanwhile: this document goes in with the knowledge base's new embedder.
                        var now = (await knowledgeBases.FindAsync(kb.Id, itemCt) ?? throw new SourceUnavailableException("the knowledge base is gone")).Embedder;
                        using var nowEmbedder = embedders.Create(now);
                        result = await indexer.IndexAsync(target with { Embedder = now }, item.Uri, item.Name, content.Bytes, contentType, nowEmbedder, itemCt);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException || !itemCt.IsCancellationRequested)
                {
                    error = e.Message;
                    logger.LogWarning("Sync of source {SourceId}: {Uri} failed: {Error}", source.Id, item.Uri, e.Message);
                }
                await gate.WaitAsync(itemCt);
                try
                {
                    switch (result?.Outcome)
                    {
                        case IndexOutcome.Added: counts.Added++; break;
                        case IndexOutcome.Updated: counts.Updated++; break;
                        case IndexOutcome.Unchanged: counts.Unchanged++; break;
                        default:
                            counts.Failed++;
                            errors.Add(new DocumentError { Uri = item.Uri, Error = error ?? "unknown error" });
                            break;
                    }
                    counts.ChunksWritten += result?.ChunksWritten ?? 0;
                    await report(Progress(runId, "indexing", items.Count, ++done, item.Uri, counts));
                }
                finally
                {
                    gate.Release();
                }
            });
            errors.Sort((a, b) => string.CompareOrdinal(a.Uri, b.Uri));

            if (onlyUris is null)
            {
                await report(Progress(runId, "removing", items.Count, done, "", counts));
                counts.Deleted = await DeleteVanishedAsync(source.Id, items.Select(i => i.Uri).ToArray(), ct);
            }
            status = counts.Failed > 0 ? "completed_with_errors" : "succeeded";
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            status = "failed";
            runError = e.Message;
            logger.LogWarning(e, "Sync of source {SourceId} failed", source.Id);
        }
        catch (OperationCanceledException)
        {
            await FinishAsync(runId, source, "failed", "the sync was cancelled", counts, errors, CancellationToken.None);
            throw;
        }

        await FinishAsync(runId, source, status, runError, counts, errors, CancellationToken.None);
        await RefreshStatisticsAsync(counts);
        var final = Progress(runId, "done", counts.Added + counts.Updated + counts.Unchanged + counts.Failed, counts.Added + counts.Updated + counts.Unchanged + counts.Failed, "", counts);
        final.Done = true;
        final.Status = status;
        final.Error = runError;
        await report(final);
        return new SyncRun { Id = runId.ToString(), SourceId = source.Id.ToString(), Trigger = trigger, Status = status, Counts = counts, Errors = { errors }, Error = runError };
    }

    public const string InterruptedError = "interrupted: the service stopped during the sync";

    // Only for a source whose lock this session holds: then no process is running the 'running' run.
    private const string FailInterruptedSql = $"""
        UPDATE retrieval.sync_runs SET status = 'failed', finished_at = now(), error = '{InterruptedError}'
        WHERE source_id = @sourceId AND status = 'running';
        UPDATE retrieval.sources SET status = 'failed', last_error = '{InterruptedError}' WHERE id = @sourceId AND status = 'syncing';
        """;

    /// <summary>
    /// Marks failed the runs a stopped process left 'running' (killed or crashed mid-sync), with their sources: a run
    /// whose source's lock no session holds has no process behind it. The service does this when it starts and the
    /// scheduler on every pass, so an interrupted run never shows as running for ever.
    /// </summary>
    public async Task<int> FailInterruptedRunsAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var failed = 0;
        foreach (var sourceId in await connection.QueryAsync<Guid>(new CommandDefinition(
                     "SELECT DISTINCT source_id FROM retrieval.sync_runs WHERE status = 'running'", cancellationToken: ct)))
        {
            var id = sourceId.ToString();
            if (!await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                    "SELECT pg_try_advisory_lock(hashtext('retrieval.sync'), hashtext(@id))", new { id }, cancellationToken: ct)))
                continue; // a live sync holds it
            try
            {
                var runs = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
                    "SELECT count(*)::int FROM retrieval.sync_runs WHERE source_id = @sourceId AND status = 'running'", new { sourceId }, cancellationToken: ct));
                await connection.ExecuteAsync(new CommandDefinition(FailInterruptedSql, new { sourceId }, cancellationToken: ct));
                failed += runs;
            }
            finally
            {
                await connection.ExecuteAsync("SELECT pg_advisory_unlock(hashtext('retrieval.sync'), hashtext(@id))", new { id });
            }
        }
        if (failed > 0)
            logger.LogWarning("Marked {Runs} sync run(s) failed: the process running them stopped", failed);
        return failed;
    }

    /// <summary>
    /// Search plans its full-text side from the planner's statistics and picks exact or HNSW search by
    /// knowledge base size: after a big change, refresh both now rather than at autovacuum's leisure.
    /// </summary>
    private async Task RefreshStatisticsAsync(SyncCounts counts)
    {
        try
        {
            if (counts.ChunksWritten >= AnalyzeAfterChunks)
            {
                await using var connection = await db.OpenConnectionAsync();
                await connection.ExecuteAsync(new CommandDefinition("ANALYZE retrieval.chunks", commandTimeout: 600));
            }
        }
        catch (NpgsqlException e)
        {
            logger.LogWarning("ANALYZE after a sync failed: {Error}", e.Message);
        }
        if (counts.ChunksWritten > 0 || counts.Deleted > 0)
            statistics.Invalidate();
    }

    private const int AnalyzeAfterChunks = 1000;

    private async Task<int> DeleteVanishedAsync(Guid sourceId, string[] present, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM retrieval.documents WHERE source_id = @sourceId AND NOT (uri = ANY(@present))", new { sourceId, present }, cancellationToken: ct));
    }

    private async Task FinishAsync(Guid runId, SourceRecord source, string status, string error, SyncCounts counts, List<DocumentError> errors, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE retrieval.sync_runs SET status = @status, finished_at = now(), added = @Added, updated = @Updated, unchanged = @Unchanged,
                deleted = @Deleted, failed = @Failed, chunks_written = @ChunksWritten, error = @error
            WHERE id = @runId
            """, new { runId, status, error, counts.Added, counts.Updated, counts.Unchanged, counts.Deleted, counts.Failed, counts.ChunksWritten }, tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO retrieval.sync_run_errors (run_id, uri, error) SELECT @runId, u, e FROM unnest(@uris, @messages) AS t(u, e)",
            new { runId, uris = errors.Select(e => e.Uri).ToArray(), messages = errors.Select(e => e.Error).ToArray() }, tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE retrieval.sources
            SET status = CASE WHEN @status = 'failed' THEN 'failed' ELSE 'ok' END,
                last_error = @lastError,
                last_synced_at = CASE WHEN @status = 'failed' THEN last_synced_at ELSE now() END,
                next_sync_at = CASE WHEN sync_interval_minutes > 0 THEN now() + make_interval(mins => sync_interval_minutes) END
            WHERE id = @sourceId
            """, new { sourceId = source.Id, status, lastError = status == "failed" ? error : errors.Count > 0 ? $"{errors.Count} document(s) failed; see the sync run" : "" }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
    }

    private async Task ExecuteAsync(string sql, object parameters, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: ct));
    }

    private static SyncProgress Progress(Guid runId, string phase, int total, int done, string uri, SyncCounts counts) => new()
    {
        RunId = runId.ToString(),
        Phase = phase,
        DocumentsTotal = total,
        DocumentsDone = done,
        CurrentUri = uri,
        Counts = counts.Clone(),
    };
}
