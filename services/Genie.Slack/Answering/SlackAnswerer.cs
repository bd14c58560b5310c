using System.Diagnostics;
using System.Text;
using Genie.Contracts.Agent.V1;
using Genie.Slack.Backends;
using Genie.Slack.Inbound;
using Genie.Slack.People;
using Genie.Slack.Settings;
using Genie.Slack.WebApi;
using Grpc.Core;

namespace Genie.Slack.Answering;

/// <summary>
/// Answers a question in its thread: a placeholder first, then <c>chat.update</c> as the answer streams in
/// (at most once per <see cref="SlackOptions.UpdateInterval"/>), then the final Block Kit message. Whatever
/// fails after the placeholder is up, the placeholder becomes "something went wrong, please ask again".
/// </summary>
public sealed class SlackAnswerer(
    SlackWebApi slack, SlackPeople people, GenieBackends backends, SlackStore store, ChannelSettingsStore channels, SlackOptions options,
    IConfiguration configuration, TimeProvider time, ILogger<SlackAnswerer> logger)
{
    public const string PlaceholderText = "_Looking through the docs…_";

    public const string StaleChannelText =
        "This channel's Genie settings name a knowledge base that no longer exists, so I cannot answer here. Please ask your Genie admin to update them under Admin → Slack.";

    public async Task AnswerAsync(QuestionWork question, CancellationToken ct)
    {
        // Channel settings apply to channels; a DM (D…) is always answered, from everything the person may read.
        var channelSetting = question.ChannelId.StartsWith('D')
            ? ChannelSetting.Default(question.ChannelId)
            : await channels.ForChannelAsync(question.ChannelId, ct);
        if (channelSetting.Silent)
        {
            logger.LogDebug("Not answering in {Channel}: the bot is silent there", question.ChannelId);
            return;
        }
        var person = await people.ResolveAsync(question.SlackUserId, ct);
        if (person.Genie is null)
        {
            await slack.PostEphemeralAsync(question.ChannelId, question.SlackUserId, person.NoAccessText, question.ThreadTs, ct);
            return;
        }
        var thread = question.ReplyThreadTs;
        var known = await store.FindConversationAsync(question.ChannelId, thread, question.SlackUserId, ct);
        var bot = known?.Bot ?? question.Bot;
        if (!person.Genie.MayUse(bot))
        {
            await slack.PostEphemeralAsync(question.ChannelId, question.SlackUserId, BotAccess.RefusalText(bot), question.ThreadTs, ct);
            return;
        }

        var placeholder = await slack.PostMessageAsync(question.ChannelId, "Looking through the docs…",
            [AnswerBlocks.Section(PlaceholderText)], thread, ct);
        var ts = placeholder["ts"]!.GetValue<string>();
        var channel = placeholder["channel"]?.GetValue<string>() ?? question.ChannelId;
        await store.AddPendingAsync(channel, ts, ct);
        try
        {
            await StreamAsync(person.Genie, question, bot, known?.ConversationId, channelSetting.KnowledgeBaseIds, channel, ts, ct);
            await store.RemovePendingAsync(channel, ts, ct);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound && channelSetting.KnowledgeBaseIds.Count > 0
                                     && e.Status.Detail.StartsWith("knowledge_base_ids", StringComparison.Ordinal))
        {
            // Retrieval refuses a search naming a deleted knowledge base; say what the admin must fix instead of "ask again".
            logger.LogWarning("The settings of Slack channel {Channel} name a knowledge base that no longer exists: {Detail}", question.ChannelId, e.Status.Detail);
            await MarkFailedAsync(channel, ts, StaleChannelText);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogError(e, "Answering a Slack question in {Channel} failed", channel);
            await MarkFailedAsync(channel, ts);
        }
    }

    private async Task StreamAsync(
        GenieUser user, QuestionWork question, string bot, string? conversationId, IReadOnlyList<string> knowledgeBaseIds,
        string channel, string ts, CancellationToken ct)
    {
        // The channel's knowledge bases narrow the search; Agent and Retrieval intersect them with the asker's grants.
        var request = new ChatRequest { Bot = bot, ConversationId = conversationId ?? "", Message = question.Text, KnowledgeBaseIds = { knowledgeBaseIds } };
        var text = new StringBuilder();
        var shown = 0;
        var lastUpdate = time.GetTimestamp();
        var citations = new List<Citation>();
        await foreach (var ev in backends.ChatAsync(user, request, ct))
        {
            switch (ev.EventCase)
            {
                case ChatEvent.EventOneofCase.Started when conversationId is null:
                    conversationId = ev.Started.ConversationId;
                    await store.RememberConversationAsync(question.ChannelId, question.ReplyThreadTs, question.SlackUserId, conversationId, bot, ct);
                    break;
                case ChatEvent.EventOneofCase.Delta:
                    text.Append(ev.Delta.Text);
                    if (text.Length > shown && time.GetElapsedTime(lastUpdate) >= options.UpdateInterval)
                    {
                        var partial = SlackText.Truncate(SlackText.Escape(text.ToString()), 2900) + " …";
                        await slack.UpdateAsync(channel, ts, text.ToString(), [AnswerBlocks.Section(partial)], ct);
                        shown = text.Length;
                        lastUpdate = time.GetTimestamp();
                    }
                    break;
                case ChatEvent.EventOneofCase.Fallback:
                    text.Clear();
                    shown = 0;
                    break;
                case ChatEvent.EventOneofCase.Citations:
                    citations.AddRange(ev.Citations.Items);
                    break;
                case ChatEvent.EventOneofCase.Completed:
                    var done = ev.Completed;
                    var blocks = AnswerBlocks.Final(text.ToString(), citations, done.NotCovered, done.MessageId, PortalLink(bot, done.ConversationId));
                    await slack.UpdateAsync(channel, ts, SlackText.Truncate(text.ToString(), 3000), blocks, ct);
                    return;
            }
        }
        throw new UnreachableException("Agent's answer stream ended without its completed event.");
    }

    /// <summary>Replaces a placeholder with the failure notice; used for live failures and at startup for ones a crash left.</summary>
    public async Task MarkFailedAsync(string channel, string ts, string text = AnswerBlocks.FailedText)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await slack.UpdateAsync(channel, ts, text, [AnswerBlocks.Section(text)], timeout.Token);
            await store.RemovePendingAsync(channel, ts, timeout.Token);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Could not mark the Slack placeholder {Ts} in {Channel} as failed", ts, channel);
        }
    }

    private string? PortalLink(string bot, string conversationId)
    {
        var portal = options.PortalUrl is { Length: > 0 } configured ? configured : configuration["Genie:Web:PublicUrl"];
        return string.IsNullOrWhiteSpace(portal) || string.IsNullOrEmpty(conversationId)
            ? null
            : $"{portal.TrimEnd('/')}/Chat?bot={Uri.EscapeDataString(bot)}&c={Uri.EscapeDataString(conversationId)}";
    }
}
