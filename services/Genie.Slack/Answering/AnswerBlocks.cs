using System.Text.Json.Nodes;
using Genie.Contracts.Agent.V1;

namespace Genie.Slack.Answering;

/// <summary>The Block Kit message of a finished answer: text, numbered sources, feedback buttons, a portal link.</summary>
public static class AnswerBlocks
{
    public const string FeedbackUp = "feedback_up";
    public const string FeedbackDown = "feedback_down";
    public const string NotCoveredText = "_This is not covered in the docs I can search; the question was passed on to the people who keep them._";
    public const string FailedText = "Something went wrong while I was answering. Please ask again.";

    // A section's text is limited to 3000 characters.
    private const int SectionLimit = 3000;

    public static JsonArray Final(string answer, IReadOnlyList<Citation> citations, bool notCovered, string messageId, string? portalLink)
    {
        var blocks = new JsonArray();
        foreach (var part in Split(SlackText.FromMarkdown(answer.Trim().Length == 0 ? "(no answer)" : answer.Trim())))
            blocks.Add(Section(part));
        if (notCovered)
            blocks.Add(Context(NotCoveredText));
        if (citations.Count > 0)
        {
            var lines = citations.OrderBy(c => c.Marker).Take(10).Select(c =>
            {
                var title = string.IsNullOrWhiteSpace(c.DocumentTitle) ? "Untitled document" : c.DocumentTitle;
                var heading = string.IsNullOrWhiteSpace(c.HeadingPath) ? "" : " › " + SlackText.Escape(c.HeadingPath);
                return $"{c.Marker}. {SlackText.Link(c.Uri, title)}{heading}";
            });
            blocks.Add(Section("*Sources*\n" + SlackText.Truncate(string.Join("\n", lines), SectionLimit)));
        }
        var actions = new JsonArray
        {
            Button(FeedbackUp, "👍 Helpful", messageId, "primary"),
            Button(FeedbackDown, "👎 Not helpful", messageId, null),
        };
        if (portalLink is not null)
        {
            actions.Add(new JsonObject
            {
                ["type"] = "button",
                ["action_id"] = "open_portal",
                ["text"] = PlainText("Continue in the portal"),
                ["url"] = portalLink,
            });
        }
        blocks.Add(new JsonObject { ["type"] = "actions", ["block_id"] = "feedback:" + messageId, ["elements"] = actions });
        return blocks;
    }

    public static JsonObject Section(string mrkdwn) =>
        new() { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = mrkdwn } };

    private static JsonObject Context(string mrkdwn) => new()
    {
        ["type"] = "context",
        ["elements"] = new JsonArray { new JsonObject { ["type"] = "mrkdwn", ["text"] = mrkdwn } },
    };

    private static JsonObject PlainText(string text) => new() { ["type"] = "plain_text", ["text"] = text, ["emoji"] = true };

    private static JsonObject Button(string actionId, string text, string value, string? style)
    {
        var button = new JsonObject { ["type"] = "button", ["action_id"] = actionId, ["text"] = PlainText(text), ["value"] = value };
        if (style is not null) button["style"] = style;
        return button;
    }

    private static IEnumerable<string> Split(string text)
    {
        // Slack allows 50 blocks; an answer is far shorter, but never emit more than 40 sections.
        for (var start = 0; start < text.Length && start < SectionLimit * 40; start += SectionLimit)
            yield return text.Substring(start, Math.Min(SectionLimit, text.Length - start));
    }
}
