using Dapper;
using Genie.Retrieval.Embeddings;
using Genie.Retrieval.KnowledgeBases;
using Npgsql;
using Pgvector;

namespace Genie.Retrieval.Reembedding;

public enum SwitchRequestOutcome
{
    /// <summary>The embedder asked for is the current one and nothing was pending.</summary>
    Unchanged,
    Started,
    /// <summary>The same target again: a running switch goes on, a failed one runs again from where it stopped.</summary>
    Resumed,
    /// <summary>The current embedder asked for after a failed switch: the failed one is dropped.</summary>
    Cancelled,
}

/// <summary>A switch to another embedder runs; it must finish (or fail) before another target is accepted.</summary>
public sealed class SwitchInProgressException(EmbedderChoice target) : Exception($"a switch to {target.Provider} {target.Model} is running")
{
    public EmbedderChoice Target => target;
}

/// <summary>
/// The rows behind an embedder switch: the target on <c>knowledge_bases.next_*</c>, the new vectors in
/// <c>chunks.next_embedding</c>. Every writer takes the knowledge base's row lock first (the swap FOR UPDATE; the
/// runner's batches and <see cref="Ingestion.DocumentIndexer"/> FOR KEY SHARE), so a swap never happens between a
/// writer's check of the embedder and its commit.
/// </summary>
public sealed class EmbedderSwitches(NpgsqlDataSource db)
{
    private sealed record State(string Provider, string Model, int Dimension, string? NextProvider, string? NextModel, int? NextDimension, string? SwitchState)
    {
        public EmbedderChoice Current => new(Provider, Model, Dimension);
        public EmbedderChoice? Next => NextProvider is null ? null : new(NextProvider, NextModel!, NextDimension!.Value);
    }

    public async Task<SwitchRequestOutcome> RequestAsync(Guid kbId, EmbedderChoice target, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var state = await connection.QuerySingleAsync<State>(new CommandDefinition("""
            SELECT embedder_provider AS provider, embedder_model AS model, dimension, next_embedder_provider AS nextprovider,
                   next_embedder_model AS nextmodel, next_dimension AS nextdimension, switch_state AS switchstate
            FROM retrieval.knowledge_bases WHERE id = @kbId FOR UPDATE
            """, new { kbId }, tx, cancellationToken: ct));
        SwitchRequestOutcome outcome;
        if (state.Next == target)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE retrieval.knowledge_bases SET switch_state = 'running', switch_error = '' WHERE id = @kbId", new { kbId }, tx, cancellationToken: ct));
            outcome = SwitchRequestOutcome.Resumed;
        }
        else if (state.SwitchState == EmbedderSwitchRecord.Running)
        {
            throw new SwitchInProgressException(state.Next!);
        }
        else if (state.Current == target)
        {
            outcome = state.Next is null ? SwitchRequestOutcome.Unchanged : SwitchRequestOutcome.Cancelled;
            await SetTargetAsync(connection, tx, kbId, null, ct);
        }
        else
        {
            await SetTargetAsync(connection, tx, kbId, target, ct);
            outcome = SwitchRequestOutcome.Started;
        }
        await tx.CommitAsync(ct);
        return outcome;
    }

    /// <summary>Vectors of an earlier (failed) target go: they belong to no embedder the knowledge base will have.</summary>
    private static async Task SetTargetAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid kbId, EmbedderChoice? target, CancellationToken ct)
    {
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE retrieval.chunks SET next_embedding = NULL WHERE kb_id = @kbId AND next_embedding IS NOT NULL;
            UPDATE retrieval.knowledge_bases
            SET next_embedder_provider = @provider, next_embedder_model = @model, next_dimension = @dimension,
                switch_state = CASE WHEN @provider IS NULL THEN NULL ELSE 'running' END, switch_error = '',
                switch_started_at = CASE WHEN @provider IS NULL THEN NULL ELSE now() END, updated_at = now()
            WHERE id = @kbId
            """, new { kbId, provider = target?.Provider, model = target?.Model, dimension = target?.Dimension }, tx, cancellationToken: ct));
    }

    /// <summary>Knowledge bases with a running switch, and its target.</summary>
    public async Task<IReadOnlyList<(Guid KbId, EmbedderChoice Target)>> RunningAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<(Guid Id, string Provider, string Model, int Dimension)>(new CommandDefinition(
            "SELECT id, next_embedder_provider, next_embedder_model, next_dimension FROM retrieval.knowledge_bases WHERE switch_state = 'running' ORDER BY switch_started_at",
            cancellationToken: ct));
        return rows.Select(r => (r.Id, new EmbedderChoice(r.Provider, r.Model, r.Dimension))).ToList();
    }

    public sealed record PendingChunk(Guid Id, string Context, string Text);

    /// <summary>Chunks still without a vector from the target, in id order after <paramref name="after"/>.</summary>
    public async Task<IReadOnlyList<PendingChunk>> PendingAsync(Guid kbId, Guid? after, int limit, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<PendingChunk>(new CommandDefinition("""
            SELECT id, context, text FROM retrieval.chunks
            WHERE kb_id = @kbId AND next_embedding IS NULL AND (@after::uuid IS NULL OR id > @after)
            ORDER BY id LIMIT @limit
            """, new { kbId, after, limit }, cancellationToken: ct))).ToList();
    }

    /// <summary>Stores one batch of new vectors if <paramref name="target"/> is still the running target; false when it is not.</summary>
    public async Task<bool> StoreAsync(Guid kbId, EmbedderChoice target, IReadOnlyList<(Guid Id, float[] Vector)> vectors, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (!await IsRunningTargetAsync(connection, tx, kbId, target, "FOR KEY SHARE", ct))
            return false;
        await using var batch = new NpgsqlBatch(connection, tx);
        foreach (var (id, vector) in vectors)
            batch.BatchCommands.Add(new NpgsqlBatchCommand("UPDATE retrieval.chunks SET next_embedding = $2 WHERE id = $1") { Parameters = { new() { Value = id }, new() { Value = new Vector(vector) } } });
        await batch.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>
    /// The swap: when every chunk has a vector from the target, in one transaction under the knowledge base's row lock,
    /// the new vectors become the searched ones and the target the knowledge base's embedder. False when a chunk still
    /// lacks one (a sync added it meanwhile) or the target is no longer the running one.
    /// </summary>
    public async Task<bool> CompleteAsync(Guid kbId, EmbedderChoice target, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (!await IsRunningTargetAsync(connection, tx, kbId, target, "FOR UPDATE", ct))
            return false;
        if (await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT EXISTS (SELECT 1 FROM retrieval.chunks WHERE kb_id = @kbId AND next_embedding IS NULL)", new { kbId }, tx, cancellationToken: ct)))
            return false;
        await VectorIndexes.EnsureAsync(connection, tx, target.Dimension, ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE retrieval.chunks SET embedding = next_embedding, dimension = @dimension, next_embedding = NULL WHERE kb_id = @kbId;
            UPDATE retrieval.knowledge_bases
            SET embedder_provider = next_embedder_provider, embedder_model = next_embedder_model, dimension = next_dimension,
                next_embedder_provider = NULL, next_embedder_model = NULL, next_dimension = NULL,
                switch_state = NULL, switch_error = '', switch_started_at = NULL, updated_at = now()
            WHERE id = @kbId
            """, new { kbId, dimension = target.Dimension }, tx, commandTimeout: 600, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return true;
    }

    public async Task FailAsync(Guid kbId, EmbedderChoice target, string error, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE retrieval.knowledge_bases SET switch_state = 'failed', switch_error = @error
            WHERE id = @kbId AND switch_state = 'running'
              AND next_embedder_provider = @Provider AND next_embedder_model = @Model AND next_dimension = @Dimension
            """, new { kbId, error, target.Provider, target.Model, target.Dimension }, cancellationToken: ct));
    }

    private static async Task<bool> IsRunningTargetAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid kbId, EmbedderChoice target, string lockClause, CancellationToken ct) =>
        await connection.QuerySingleOrDefaultAsync<bool?>(new CommandDefinition($"""
            SELECT switch_state = 'running' AND next_embedder_provider = @Provider AND next_embedder_model = @Model AND next_dimension = @Dimension
            FROM retrieval.knowledge_bases WHERE id = @kbId {lockClause}
            """, new { kbId, target.Provider, target.Model, target.Dimension }, tx, cancellationToken: ct)) == true;
}
