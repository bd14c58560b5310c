using Genie.Contracts.Retrieval.V1;
using Genie.Retrieval.Embeddings;
using Genie.Retrieval.KnowledgeBases;
using Genie.Retrieval.Reembedding;
using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Rpc;
using Grpc.Core;
using Npgsql;

namespace Genie.Retrieval.Api;

public sealed partial class RetrievalHandler
{
    public override async Task<KnowledgeBase> CreateKnowledgeBase(CreateKnowledgeBaseRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        if (!policy.CanCreate(caller))
            throw RpcErrors.PermissionDenied($"only admins and instructors create knowledge bases; you are {caller.Role}");
        var name = Validate.Required("name", request.Name, 200);
        var description = Validate.MaxLength("description", request.Description.Trim(), 4000);
        var (users, roles) = ValidGrants(request.Grants);
        var embedder = await ResolveEmbedderAsync(request.Embedder ?? new EmbedderSpec(), context);

        Guid id;
        try
        {
            id = await knowledgeBases.CreateAsync(name, description, embedder, caller.UserId, users, roles, context.CancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw RpcErrors.Of(StatusCode.AlreadyExists, $"name: a knowledge base named '{name}' already exists");
        }
        return await DescribeAsync(id, caller, context);
    }

    public override async Task<ListKnowledgeBasesResponse> ListKnowledgeBases(ListKnowledgeBasesRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var list = await knowledgeBases.ListReadableAsync(caller, context.CancellationToken);
        return new ListKnowledgeBasesResponse { KnowledgeBases = { list.Select(kb => Mapping.ToProto(kb, policy.CanManage(caller, kb))) } };
    }

    public override async Task<KnowledgeBase> GetKnowledgeBase(GetKnowledgeBaseRequest request, ServerCallContext context)
    {
        var kb = await ReadableAsync("id", request.Id, context);
        return Mapping.ToProto(kb, policy.CanManage(context.GetCaller(), kb));
    }

    public override async Task<KnowledgeBase> UpdateKnowledgeBase(UpdateKnowledgeBaseRequest request, ServerCallContext context)
    {
        var kb = await ManageableAsync("id", request.Id, context);
        var name = string.IsNullOrWhiteSpace(request.Name) ? null : Validate.Required("name", request.Name, 200);
        var description = string.IsNullOrEmpty(request.Description) ? null : Validate.MaxLength("description", request.Description.Trim(), 4000);
        try
        {
            await knowledgeBases.UpdateAsync(kb.Id, name, description, context.CancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw RpcErrors.Of(StatusCode.AlreadyExists, $"name: a knowledge base named '{name}' already exists");
        }
        return await DescribeAsync(kb.Id, context.GetCaller(), context);
    }

    public override async Task<DeleteKnowledgeBaseResponse> DeleteKnowledgeBase(DeleteKnowledgeBaseRequest request, ServerCallContext context)
    {
        var kb = await ManageableAsync("id", request.Id, context);
        var deleted = await knowledgeBases.DeleteAsync(kb.Id, context.CancellationToken);
        return new DeleteKnowledgeBaseResponse { DocumentsDeleted = deleted };
    }

    public override async Task<KnowledgeBase> SetGrants(SetGrantsRequest request, ServerCallContext context)
    {
        var kb = await ManageableAsync("knowledge_base_id", request.KnowledgeBaseId, context);
        var (users, roles) = ValidGrants(request.Grants);
        await knowledgeBases.SetGrantsAsync(kb.Id, users, roles, context.CancellationToken);
        return await DescribeAsync(kb.Id, context.GetCaller(), context);
    }

    public override async Task<KnowledgeBase> ChangeEmbedder(ChangeEmbedderRequest request, ServerCallContext context)
    {
        var kb = await ManageableAsync("knowledge_base_id", request.KnowledgeBaseId, context);
        if (string.IsNullOrWhiteSpace(request.Embedder?.Provider))
            throw RpcErrors.InvalidArgument("embedder.provider", $"required: one of {string.Join(", ", EmbedderFactory.Providers)}");
        var target = await ResolveEmbedderAsync(request.Embedder, context);
        try
        {
            var outcome = await switches.RequestAsync(kb.Id, target, context.CancellationToken);
            if (outcome is SwitchRequestOutcome.Started or SwitchRequestOutcome.Resumed)
                switchRunner.Wake();
        }
        catch (SwitchInProgressException e)
        {
            throw RpcErrors.Of(StatusCode.FailedPrecondition,
                $"embedder: a switch to {e.Target.Provider} {e.Target.Model} is running; wait until it completes (GetKnowledgeBase shows its progress)");
        }
        return await DescribeAsync(kb.Id, context.GetCaller(), context);
    }

    /// <summary>A requested embedder made concrete: provider known, model probed for its real dimension, indexable.</summary>
    private async Task<EmbedderChoice> ResolveEmbedderAsync(EmbedderSpec spec, ServerCallContext context)
    {
        if (!string.IsNullOrWhiteSpace(spec.Provider) && !EmbedderFactory.Providers.Contains(spec.Provider.Trim().ToLowerInvariant()))
            throw RpcErrors.InvalidArgument("embedder.provider", $"'{spec.Provider}' is not one of {string.Join(", ", EmbedderFactory.Providers)}");
        Validate.Range("embedder.dimension", spec.Dimension, 0, VectorIndexes.MaxIndexedDimension);
        Validate.MaxLength("embedder.model", spec.Model, 200);

        EmbedderChoice embedder;
        try
        {
            embedder = await embedders.ResolveAsync(spec.Provider, spec.Model, spec.Dimension, context.CancellationToken);
        }
        catch (Exception e) when (e is EmbeddingProviderException or HttpRequestException or Polly.Timeout.TimeoutRejectedException)
        {
            throw RpcErrors.Of(StatusCode.FailedPrecondition, $"embedder: the {spec.Provider} embedder does not answer: {e.Message}");
        }
        catch (ArgumentException e)
        {
            throw RpcErrors.InvalidArgument("embedder.model", e.Message);
        }
        if (embedder.Dimension > VectorIndexes.MaxIndexedDimension)
            throw RpcErrors.InvalidArgument("embedder.dimension", $"the model returns {embedder.Dimension} dimensions; at most {VectorIndexes.MaxIndexedDimension} can be indexed");
        return embedder;
    }

    private async Task<KnowledgeBase> DescribeAsync(Guid id, CallerIdentity caller, ServerCallContext context)
    {
        var kb = await knowledgeBases.FindAsync(id, context.CancellationToken) ?? throw RpcErrors.NotFound("knowledge base", id.ToString());
        return Mapping.ToProto(kb, policy.CanManage(caller, kb));
    }

    private static (IReadOnlyList<string> Users, IReadOnlyList<string> Roles) ValidGrants(Grants? grants)
    {
        if (grants is null)
            return ([], []);
        for (var i = 0; i < grants.UserIds.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(grants.UserIds[i]))
                throw RpcErrors.InvalidArgument($"grants.user_ids[{i}]", "must not be empty");
            Validate.MaxLength($"grants.user_ids[{i}]", grants.UserIds[i], 200);
        }
        for (var i = 0; i < grants.Roles.Count; i++)
        {
            if (!Roles.IsPersonRole(grants.Roles[i]))
                throw RpcErrors.InvalidArgument($"grants.roles[{i}]", $"'{grants.Roles[i]}' is not one of {string.Join(", ", Roles.People)}");
        }
        return (grants.UserIds.Select(u => u.Trim()).ToList(), grants.Roles.ToList());
    }
}
