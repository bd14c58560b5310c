using Dapper;
using Genie.Retrieval.Embeddings;
using Genie.Retrieval.Ingestion;
using Microsoft.Extensions.AI;
using Npgsql;

namespace Genie.Retrieval.Reembedding;

/// <summary>
/// Re-embeds the chunks of knowledge bases whose embedder is being switched, in batches, into
/// <c>chunks.next_embedding</c>, then swaps (<see cref="EmbedderSwitches.CompleteAsync"/>). Progress is the rows
/// written, so a restart resumes where the last committed batch stopped. One runner per knowledge base across
/// replicas (session advisory lock, as a sync holds its source). A failing embedder marks the switch failed with
/// its message; the old vectors keep serving.
/// </summary>
public sealed class EmbedderSwitchRunner(
    NpgsqlDataSource db,
    EmbedderSwitches switches,
    EmbedderFactory embedders,
    RetrievalOptions options,
    ILogger<EmbedderSwitchRunner> logger) : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0);

    /// <summary>Look for work now (ChangeEmbedder calls this; otherwise every <c>SchedulerPollSeconds</c>).</summary>
    public void Wake()
    {
        if (_wake.CurrentCount == 0)
            _wake.Release();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                foreach (var (kbId, target) in await switches.RunningAsync(stoppingToken))
                    await RunIfFreeAsync(kbId, target, stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Embedder switches: {Error}", e.Message);
            }
            try
            {
                await _wake.WaitAsync(TimeSpan.FromSeconds(Math.Max(1, options.SchedulerPollSeconds)), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task RunIfFreeAsync(Guid kbId, EmbedderChoice target, CancellationToken ct)
    {
        await using var lockConnection = await db.OpenConnectionAsync(ct);
        if (!await lockConnection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT pg_try_advisory_lock(hashtext('retrieval.reembed'), hashtext(@id))", new { id = kbId.ToString() }, cancellationToken: ct)))
            return;
        try
        {
            await RunAsync(kbId, target, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning("Switching knowledge base {KbId} to {Provider} {Model} failed: {Error}", kbId, target.Provider, target.Model, e.Message);
            await switches.FailAsync(kbId, target, e.Message, CancellationToken.None);
        }
        finally
        {
            await lockConnection.ExecuteAsync("SELECT pg_advisory_unlock(hashtext('retrieval.reembed'), hashtext(@id))", new { id = kbId.ToString() });
        }
    }

    private async Task RunAsync(Guid kbId, EmbedderChoice target, CancellationToken ct)
    {
        using var embedder = embedders.Create(target);
        Guid? after = null;
        while (true)
        {
            var batch = await switches.PendingAsync(kbId, after, Math.Max(1, options.ReembedBatchSize), ct);
            if (batch.Count == 0)
            {
                // A sync may have added chunks behind the cursor: one more pass from the start finds them.
                if (after is not null)
                {
                    after = null;
                    continue;
                }
                if (await switches.CompleteAsync(kbId, target, ct))
                {
                    logger.LogInformation("Knowledge base {KbId} now uses {Provider} {Model} ({Dimension} dimensions)", kbId, target.Provider, target.Model, target.Dimension);
                    return;
                }
                if (!await StillTargetAsync(kbId, target, ct))
                    return;
                continue;
            }
            var embeddings = await embedder.GenerateAsync(batch.Select(c => DocumentIndexer.EmbeddingInput(c.Context, c.Text)), cancellationToken: ct);
            var vectors = new List<(Guid, float[])>(batch.Count);
            for (var i = 0; i < batch.Count; i++)
            {
                var vector = embeddings[i].Vector.ToArray();
                if (vector.Length != target.Dimension)
                    throw new EmbeddingProviderException($"the embedder returned {vector.Length} dimensions; the switch was started for {target.Dimension}");
                vectors.Add((batch[i].Id, vector));
            }
            if (!await switches.StoreAsync(kbId, target, vectors, ct))
                return; // the target changed (cancelled or replaced after a failure)
            after = batch[^1].Id;
        }
    }

    private async Task<bool> StillTargetAsync(Guid kbId, EmbedderChoice target, CancellationToken ct) =>
        (await switches.RunningAsync(ct)).Contains((kbId, target));
}
