using Genie.Agent.Analytics;
using Genie.Agent.Chat;
using Genie.Agent.Conversations;
using Genie.Agent.Gaps;
using Genie.Agent.Knowledge;
using Genie.Agent.Learning;
using Genie.Agent.Memory;
using Genie.Agent.Models;
using Genie.Agent.Telemetry;
using Genie.Contracts.Lms.V1;
using Genie.Contracts.Retrieval.V1;
using Genie.ServiceDefaults.Clients;
using Genie.ServiceDefaults.Database;
using Genie.ServiceDefaults.Http;
using Genie.ServiceDefaults.Rpc;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Genie.Agent;

public static class AgentServices
{
    /// <summary>The bots: stores, models, the answering pipeline and the gRPC handler. Needs AddServiceDefaults and AddGenieDatabase first.</summary>
    public static WebApplicationBuilder AddAgent(this WebApplicationBuilder builder)
    {
        Dapper.DefaultTypeMap.MatchNamesWithUnderscores = true;
        builder.Services.Configure<AgentOptions>(builder.Configuration.GetSection("Genie:Agent"));
        builder.Services.PostConfigure<AgentOptions>(options =>
        {
            if (options.LocalOllama is null && builder.Configuration["Genie:Ollama:Url"] is { Length: > 0 } ollamaUrl)
            {
                options.LocalOllama = new BotModelOptions
                {
                    Provider = "ollama",
                    Endpoint = ollamaUrl,
                    Model = builder.Configuration["Genie:Ollama:ChatModel"] is { Length: > 0 } model ? model : "llama3.2",
                };
            }
        });
        // Every chat runs the same few statements: auto-prepared per connection, PostgreSQL stops parsing and planning them.
        builder.Services.AddSingleton(new DataSourceTuning(dataSource =>
        {
            if (dataSource.ConnectionStringBuilder.MaxAutoPrepare == 0) dataSource.ConnectionStringBuilder.MaxAutoPrepare = 32;
        }));
        // Model streams run long; the bots' own first-token and total timeouts are enforced by ModelRunner.
        builder.Services.AddOllamaHttpClient(attemptTimeout: TimeSpan.FromMinutes(10), retryPost: false);
        builder.Services.AddExternalHttpClient(ExternalHttpClients.OpenAi, attemptTimeout: TimeSpan.FromMinutes(10), retryPost: false);
        builder.Services.AddSingleton<AgentTelemetry>();
        builder.Services.AddSingleton<ModelCatalog>();
        builder.Services.AddSingleton<ModelRunner>();
        builder.Services.AddSingleton<ConversationStore>();
        builder.Services.AddSingleton<ProfileStore>();
        builder.Services.AddSingleton<FeedbackStore>();
        builder.Services.AddSingleton<KnowledgeGapStore>();
        builder.Services.AddSingleton<UsageStatsStore>();
        builder.Services.AddSingleton<FeedbackReviewStore>();
        builder.Services.AddSingleton<ChatPipeline>();
        builder.Services.AddServiceClient<RetrievalService.RetrievalServiceClient>("retrieval");
        builder.Services.TryAddSingleton<IKnowledgeSearch, RetrievalKnowledgeSearch>();
        builder.Services.AddServiceClient<LmsService.LmsServiceClient>("lmsbridge");
        // Resolved on first use so an Agent without LmsBridge still serves the Onboarding Bot (the Learning Bot then says so).
        builder.Services.AddSingleton(sp => new LearningRecords(() =>
            sp.GetRequiredService<IConfiguration>().GetSection("services:lmsbridge:grpc").GetChildren().Any(c => !string.IsNullOrWhiteSpace(c.Value))
                ? sp.GetRequiredService<LmsService.LmsServiceClient>()
                : null));
        builder.Services.AddSingleton<LearningBot>();
        builder.Services.AddGrpcService<AgentHandler>();
        return builder;
    }
}
