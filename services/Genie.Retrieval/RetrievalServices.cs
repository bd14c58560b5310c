using Genie.Retrieval.Api;
using Genie.Retrieval.Chunking;
using Genie.Retrieval.Documents;
using Genie.Retrieval.Embeddings;
using Genie.Retrieval.Ingestion;
using Genie.Retrieval.KnowledgeBases;
using Genie.Retrieval.Parsing;
using Genie.Retrieval.Reembedding;
using Genie.Retrieval.Search;
using Genie.Retrieval.Sources;
using Genie.ServiceDefaults.Database;
using Genie.ServiceDefaults.Http;
using Genie.ServiceDefaults.Rpc;

namespace Genie.Retrieval;

public static class RetrievalServices
{
    public const string SchemaName = "retrieval";

    /// <summary>The database, the stores, ingestion, search, the scheduler and the gRPC handler of the retrieval service.</summary>
    public static WebApplicationBuilder AddRetrieval(this WebApplicationBuilder builder, bool scheduler = true)
    {
        builder.AddGenieDatabase(SchemaName, typeof(RetrievalServices).Assembly);
        AddRetrievalCore(builder.Services, builder.Configuration);
        builder.Services.AddStartupRepair<SyncRunner>("interrupted sync runs", (runner, ct) => runner.FailInterruptedRunsAsync(ct));
        builder.Services.AddSingleton<LegacySourceSecrets>();
        builder.Services.AddStartupRepair<LegacySourceSecrets>("source secrets sealed by an earlier release", (legacy, ct) => legacy.ResealAsync(ct));
        if (scheduler)
            builder.Services.AddHostedService(sp => sp.GetRequiredService<SyncScheduler>());
        builder.Services.AddSingleton<EmbedderSwitchRunner>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<EmbedderSwitchRunner>());
        // Grpc.AspNetCore limits message size per service, so UploadDocument's limit applies to every rpc here.
        builder.Services.AddGrpcService<RetrievalHandler>(maxReceiveMessageSize: RetrievalOptions.UploadMessageLimit);
        return builder;
    }

    /// <summary>Everything but hosting: used by the service and by the eval command.</summary>
    public static IServiceCollection AddRetrievalCore(IServiceCollection services, IConfiguration configuration)
    {
        // Row classes use C# names for snake_case columns.
        Dapper.DefaultTypeMap.MatchNamesWithUnderscores = true;
        var options = RetrievalOptions.FromConfiguration(configuration);
        services.AddSingleton(options);
        services.AddSingleton(EmbedderOptions.FromConfiguration(configuration));
        // Embedding a batch is a pure function of its input: safe to retry, POST or not.
        services.AddOllamaHttpClient(attemptTimeout: TimeSpan.FromMinutes(2), retryPost: true);
        services.AddExternalHttpClient(ExternalHttpClients.OpenAi, attemptTimeout: TimeSpan.FromMinutes(2), retryPost: true);
        services.AddSingleton<EmbedderFactory>();
        services.AddSingleton(_ => SourceSecrets.FromConfiguration(configuration));
        services.AddSingleton<AccessPolicy>();
        services.AddSingleton<KnowledgeBaseStore>();
        services.AddSingleton<SourceStore>();
        services.AddSingleton<DocumentStore>();
        services.AddSingleton<DocumentSourceFactory>();
        services.AddSingleton<DocumentParser>();
        services.AddSingleton(new StructuredChunker(options.Chunking));
        services.AddSingleton<DocumentIndexer>();
        services.AddSingleton<EmbedderSwitches>();
        services.AddSingleton<SyncRunner>();
        services.AddSingleton<SyncScheduler>();
        services.AddSingleton<TermStatistics>();
        services.AddSingleton<HybridSearcher>();
        return services;
    }
}
