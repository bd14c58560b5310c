using System.Diagnostics;
using Genie.Agent.Answering;
using Genie.Agent.Conversations;
using Genie.Agent.Knowledge;
using Genie.Agent.Learning;
using Genie.Agent.Memory;
using Genie.Agent.Models;
using Genie.Agent.Prompting;
using Genie.Agent.Telemetry;
using Genie.Contracts.Agent.V1;
using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Rpc;
using Genie.ServiceDefaults.Text;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace Genie.Agent.Chat;

/// <summary>A validated chat request.</summary>
public sealed record ChatInput(Guid? ConversationId, string Bot, string Message, IReadOnlyList<string> KnowledgeBaseIds);

/// <summary>
/// One question, answered: load the conversation and the user's memory → rewrite a follow-up →
/// search with the user's own token → keep only relevant passages (else "not covered" + a gap) →
/// prompt with fenced, numbered sources → stream the answer → citations → store the turn.
/// </summary>
public sealed class ChatPipeline(
    ConversationStore conversations,
    IKnowledgeSearch search,
    ModelCatalog models,
    ModelRunner runner,
    IOptions<AgentOptions> options,
    AgentTelemetry telemetry,
    LearningBot learning,
    TimeProvider time)
{
    public const string LearningBotName = "learning";

    public const string GreetingAnswer =
        "I answer questions about the company's documentation, with sources. What would you like to know?";

    public async Task RunAsync(ChatInput input, CallerIdentity caller, IServerStreamWriter<ChatEvent> responses, CancellationToken cancelled)
    {
        var settings = options.Value;
        var started = time.GetTimestamp();
        using var activity = AgentTelemetry.Source.StartActivity(AgentTelemetry.ChatSpan);
        activity?.SetTag("genie.bot", input.Bot);

        var isNew = input.ConversationId is null;
        var conversationId = input.ConversationId ?? Guid.CreateVersion7();
        var memory = MemoryExtractor.Extract(input.Message);
        TurnContext loaded;
        using (AgentTelemetry.Source.StartActivity(AgentTelemetry.ContextStage))
            loaded = await conversations.LoadTurnContextAsync(input.ConversationId, caller.UserId, settings.RecentMessages, cancelled);
        var context = loaded.Conversation;
        var profile = loaded.Profile.With(memory);
        if (context is null) throw RpcErrors.NotFound("conversation", conversationId.ToString());
        if (!isNew && context.Bot != input.Bot)
            throw RpcErrors.InvalidArgument("bot", $"conversation {conversationId} belongs to the {context.Bot} bot");
        activity?.SetTag("genie.conversation_id", conversationId.ToString());

        var standalone = FollowUpRewriter.Rewrite(QuestionText.Normalise(input.Message), context.PreviousQuery);
        var turn = new TurnState(input, caller, conversationId, isNew, standalone, Guid.CreateVersion7(), Guid.CreateVersion7(), profile, memory, context.Window);
        activity?.SetTag("genie.message_id", turn.AssistantMessageId.ToString());
        var stream = new ChatEventStream(responses, cancelled);
        await stream.StartedAsync(new ChatPipelineTurn(conversationId, turn.AssistantMessageId, standalone));

        if (memory.IsOnlyAboutTheUser)
        {
            await FinishFixedAsync(turn, stream, memory.Acknowledgement(), notCovered: false, retrievalMs: 0, started, cancelled);
            return;
        }

        var learningIntent = input.Bot == LearningBotName ? LearningIntents.Recognise(input.Message) : LearningIntent.None;
        if (learningIntent != LearningIntent.None)
        {
            await AnswerFromLearningRecordsAsync(turn, stream, learningIntent, context, retrievalMs: 0, started, cancelled);
            return;
        }

        var retrievalStarted = time.GetTimestamp();
        IReadOnlyList<KnowledgeHit> hits;
        using (AgentTelemetry.Source.StartActivity(AgentTelemetry.SearchStage))
            hits = await search.SearchAsync(new KnowledgeQuery(standalone, caller.Token, input.KnowledgeBaseIds, settings.SearchTopK), cancelled);
        var relevant = RelevanceGate.Filter(standalone, hits, settings.MinCoverage, settings.MinScore);
        var retrievalMs = (long)time.GetElapsedTime(retrievalStarted).TotalMilliseconds;
        activity?.SetTag("genie.retrieval.hits", hits.Count);
        activity?.SetTag("genie.retrieval.relevant", relevant.Count);

        if (relevant.Count == 0 && input.Bot == LearningBotName)
        {
            await AnswerFromLearningRecordsAsync(turn, stream, LearningIntent.None, context, retrievalMs, started, cancelled);
            return;
        }
        if (relevant.Count == 0)
        {
            var greeting = Text.Terms.SetOf(standalone).Count == 0;
            await FinishFixedAsync(turn, stream, greeting ? GreetingAnswer : ExtractiveComposer.NotCoveredAnswer, notCovered: !greeting, retrievalMs, started, cancelled);
            return;
        }

        var prompt = PromptBuilder.Build(new PromptInput(
            input.Bot, input.Message, standalone, relevant, profile, context.Summary, context.RecentTurns));
        var generationStarted = time.GetTimestamp();
        var meaning = new SentenceMeaning(search, caller.Token, relevant[0].KnowledgeBaseId);
        var generation = await runner.GenerateAsync(models.For(input.Bot), prompt, relevant.Count, stream.DeltaAsync, stream.FallbackAsync, cancelled,
            meaning: meaning);
        var generationMs = (long)time.GetElapsedTime(generationStarted).TotalMilliseconds;

        var citations = generation.CitedSources.Select((n, i) => ToCitation(i + 1, relevant[n - 1])).ToList(); // shown [i+1] is source n
        await FinishGeneratedAsync(turn, stream, generation, citations, notCovered: false, retrievalMs, generationMs, started);
    }

    /// <summary>
    /// A Learning Bot question about the learner's own progress (or one the course material did not cover):
    /// with a model, LmsBridge lookups are its tools; without one, or when the model fails, the recognised
    /// question is answered directly from LmsBridge.
    /// </summary>
    private async Task AnswerFromLearningRecordsAsync(
        TurnState turn, ChatEventStream stream, LearningIntent intent, ConversationContext context, long retrievalMs, long started, CancellationToken cancelled)
    {
        var configured = models.For(turn.Input.Bot);
        var direct = new BotModel(
            new ComputedAnswerClient(LearningAnswers.ModelId, ct => learning.AnswerAsync(intent, turn.Caller, ct)),
            "builtin", LearningAnswers.ModelId, new BotModelOptions());
        var prompt = LearningBot.Prompt(new PromptInput(
            turn.Input.Bot, turn.Input.Message, turn.Standalone, [], turn.Profile, context.Summary, context.RecentTurns));
        var generationStarted = time.GetTimestamp();
        var generation = configured.IsBuiltin
            ? await runner.GenerateAsync(direct, prompt, 0, stream.DeltaAsync, stream.FallbackAsync, cancelled)
            : await runner.GenerateAsync(configured, prompt, 0, stream.DeltaAsync, stream.FallbackAsync, cancelled, learning.Tools(turn.Caller), direct);
        var generationMs = (long)time.GetElapsedTime(generationStarted).TotalMilliseconds;
        var notCovered = intent == LearningIntent.None && generation.Model == LearningAnswers.ModelId && Text.Terms.SetOf(turn.Standalone).Count > 0;
        await FinishGeneratedAsync(turn, stream, generation, [], notCovered, retrievalMs, generationMs, started);
    }

    private async Task FinishGeneratedAsync(
        TurnState turn, ChatEventStream stream, Generation generation, IReadOnlyList<Citation> citations, bool notCovered,
        long retrievalMs, long generationMs, long started)
    {
        await StoreAsync(turn, generation.Text, generation.Model, generation.InputTokens, generation.OutputTokens, retrievalMs, generationMs,
            generation.Incomplete, generation.FallbackReason, notCovered, citations);
        Record(started, generation.TimeToFirstDelta, notCovered, generation.FallbackReason is not null, generation.Incomplete, turn.Input.Bot);
        if (generation.Incomplete) return;

        await stream.CitationsAsync(citations);
        await stream.CompletedAsync(new ChatCompleted
        {
            MessageId = turn.AssistantMessageId.ToString(),
            ConversationId = turn.ConversationId.ToString(),
            Model = generation.Model,
            InputTokens = generation.InputTokens ?? 0,
            OutputTokens = generation.OutputTokens ?? 0,
            RetrievalMs = retrievalMs,
            GenerationMs = generationMs,
            FallbackReason = generation.FallbackReason ?? "",
            NotCovered = notCovered,
        });
    }

    private sealed record TurnState(
        ChatInput Input, CallerIdentity Caller, Guid ConversationId, bool IsNew, string Standalone,
        Guid UserMessageId, Guid AssistantMessageId, UserProfile Profile, ExtractedMemory Memory, ConversationWindow Window);

    /// <summary>An answer that needs no model: "not covered", a greeting, or an acknowledgement of a preference.</summary>
    private async Task FinishFixedAsync(TurnState turn, ChatEventStream stream, string answer, bool notCovered, long retrievalMs, long started, CancellationToken cancelled)
    {
        var delivered = await stream.TryDeltaAsync(answer);
        var firstDelta = time.GetElapsedTime(started);
        await StoreAsync(turn, delivered ? answer : "", BuiltinChatClient.ModelId, null, null, retrievalMs, 0, !delivered, null, notCovered, []);
        Record(started, firstDelta, notCovered, fallback: false, incomplete: !delivered, turn.Input.Bot);
        if (!delivered || cancelled.IsCancellationRequested) return;
        await stream.CitationsAsync([]);
        await stream.CompletedAsync(new ChatCompleted
        {
            MessageId = turn.AssistantMessageId.ToString(),
            ConversationId = turn.ConversationId.ToString(),
            Model = BuiltinChatClient.ModelId,
            RetrievalMs = retrievalMs,
            NotCovered = notCovered,
        });
    }

    private async Task StoreAsync(TurnState turn, string answer, string model, int? inputTokens, int? outputTokens, long retrievalMs, long generationMs,
        bool incomplete, string? fallbackReason, bool notCovered, IReadOnlyList<Citation> citations)
    {
        // Stored even when the caller has gone: an interrupted answer is kept, marked incomplete.
        using var span = AgentTelemetry.Source.StartActivity(AgentTelemetry.StoreStage);
        var stored = await conversations.SaveTurnAsync(new StoredTurn(
            turn.ConversationId, turn.IsNew, turn.Caller.UserId, turn.Input.Bot, Title(turn.Input.Message),
            turn.UserMessageId, turn.Input.Message, turn.Standalone,
            turn.AssistantMessageId, answer, model, inputTokens, outputTokens, retrievalMs, generationMs,
            incomplete, fallbackReason, notCovered, citations, Team(turn.Profile), turn.Window, turn.Memory), options.Value.RecentMessages, CancellationToken.None);
        if (!stored) throw RpcErrors.NotFound("conversation", turn.ConversationId.ToString());
    }

    private void Record(long started, TimeSpan? firstDelta, bool notCovered, bool fallback, bool incomplete, string bot)
    {
        var tags = new TagList { { "genie.bot", bot } };
        telemetry.AnswerLatency.Record(time.GetElapsedTime(started).TotalSeconds, tags);
        if (firstDelta is { } first) telemetry.TimeToFirstToken.Record(first.TotalSeconds, tags);
        telemetry.Answers.Add(1, new TagList
        {
            { "genie.bot", bot }, { "not_covered", notCovered }, { "fallback", fallback }, { "incomplete", incomplete },
        });
    }

    private static Citation ToCitation(int marker, KnowledgeHit hit) => new()
    {
        Marker = marker,
        ChunkId = hit.ChunkId,
        KnowledgeBaseId = hit.KnowledgeBaseId,
        DocumentTitle = hit.DocumentTitle,
        Uri = hit.Uri,
        HeadingPath = hit.HeadingPath,
        Snippet = hit.Snippet,
        Source = hit.Source,
        Score = hit.Score,
    };

    private static string? Team(UserProfile profile) =>
        profile.Preferences.RoleTeam ?? profile.Facts.LastOrDefault(f => f.Kind == "team")?.Text.Replace("works on ", "", StringComparison.Ordinal);

    private static string Title(string message)
    {
        var flat = message.ReplaceLineEndings(" ").Trim();
        if (flat.Length <= 80) return flat;
        var cut = flat.LastIndexOf(' ', 80);
        return (cut > 40 ? flat[..cut] : flat[..80]) + "…";
    }
}
