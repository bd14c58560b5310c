using System.Text;
using Genie.Contracts.Agent.V1;
using Genie.Slack.Answering;
using Genie.Slack.Backends;
using Genie.Slack.Inbound;
using Genie.Slack.People;
using Genie.Slack.WebApi;

namespace Genie.Slack.Commands;

/// <summary>
/// <c>/genie next</c> and <c>/genie progress</c>: the Learning Bot answers them from LmsBridge, and the answer
/// comes back as a reply only the asker sees. Also 👍/👎 on answers, stored in Agent as the person who clicked.
/// </summary>
public sealed class SlashCommands(SlackWebApi slack, SlackPeople people, GenieBackends backends)
{
    public const string HelpText = "Try `/genie next` for your next learning step, `/genie progress` for how far you are, " +
        "`/genie reminders slack` to get your learning reminders here as DMs (`/genie reminders off` to stop). " +
        "For anything about the docs, message me directly or mention me in a channel.";

    public async Task RunAsync(CommandWork command, CancellationToken ct)
    {
        var words = command.Text.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words is ["reminders", "slack" or "on" or "off"])
        {
            await SetRemindersAsync(command, words[1] != "off", ct);
            return;
        }
        var question = words switch
        {
            ["next"] => "What should I do next?",
            ["progress"] => "How am I doing? Show my progress.",
            _ => null,
        };
        if (question is null)
        {
            await slack.PostEphemeralAsync(command.ChannelId, command.SlackUserId, HelpText, null, ct);
            return;
        }
        var person = await people.ResolveAsync(command.SlackUserId, ct);
        if (person.Genie is null)
        {
            await slack.PostEphemeralAsync(command.ChannelId, command.SlackUserId, person.NoAccessText, null, ct);
            return;
        }
        if (!person.Genie.MayUse(BotChoice.Learning))
        {
            await slack.PostEphemeralAsync(command.ChannelId, command.SlackUserId, BotAccess.RefusalText(BotChoice.Learning), null, ct);
            return;
        }
        var answer = new StringBuilder();
        await foreach (var ev in backends.ChatAsync(person.Genie, new ChatRequest { Bot = BotChoice.Learning, Message = question }, ct))
        {
            if (ev.EventCase == ChatEvent.EventOneofCase.Delta)
                answer.Append(ev.Delta.Text);
            else if (ev.EventCase == ChatEvent.EventOneofCase.Fallback)
                answer.Clear();
        }
        await slack.PostEphemeralAsync(command.ChannelId, command.SlackUserId, SlackText.Truncate(SlackText.FromMarkdown(answer.ToString()), 3000), null, ct);
    }

    private async Task SetRemindersAsync(CommandWork command, bool slackOn, CancellationToken ct)
    {
        var person = await people.ResolveAsync(command.SlackUserId, ct);
        if (person.Genie is null)
        {
            await slack.PostEphemeralAsync(command.ChannelId, command.SlackUserId, person.NoAccessText, null, ct);
            return;
        }
        var preferences = await backends.SetSlackRemindersAsync(person.Genie, slackOn, ct);
        var quiet = preferences.QuietHoursStart.Length > 0
            ? $" Your quiet hours ({preferences.QuietHoursStart}–{preferences.QuietHoursEnd}, {preferences.TimeZone}) still apply."
            : "";
        await slack.PostEphemeralAsync(command.ChannelId, command.SlackUserId,
            slackOn ? "Done: your learning reminders will come here as DMs." + quiet : "Done: no more reminder DMs. The portal still lists them.", null, ct);
    }

    public async Task FeedbackAsync(FeedbackWork feedback, CancellationToken ct)
    {
        var person = await people.ResolveAsync(feedback.SlackUserId, ct);
        if (person.Genie is null)
        {
            await slack.PostEphemeralAsync(feedback.ChannelId, feedback.SlackUserId, person.NoAccessText, feedback.ThreadTs, ct);
            return;
        }
        await backends.SubmitFeedbackAsync(person.Genie, feedback.MessageId, feedback.Helpful ? Rating.Up : Rating.Down, ct);
        await slack.PostEphemeralAsync(feedback.ChannelId, feedback.SlackUserId,
            feedback.Helpful ? "Thanks! Glad it helped." : "Thanks for telling me. The admins will see which answer missed.", feedback.ThreadTs, ct);
    }
}
