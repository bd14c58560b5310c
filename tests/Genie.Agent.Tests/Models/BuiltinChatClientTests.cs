using Genie.Agent.Memory;
using Genie.Agent.Models;
using Genie.Agent.Prompting;
using Genie.Agent.Tests.Support;
using Genie.Contracts.Agent.V1;
using Microsoft.Extensions.AI;

namespace Genie.Agent.Tests.Models;

public sealed class BuiltinChatClientTests
{
    [Fact]
    public async Task Streams_an_extractive_answer_built_from_the_prompt_it_receives()
    {
        var messages = PromptBuilder.Build(new PromptInput(
            "onboarding", "and how long does that take?", "PIV card: and how long does that take?",
            [HandbookFixture.Section("leave.md", "Annual leave"), HandbookFixture.Section("piv-card.md", "How long it takes")],
            UserProfile.Empty, null, []));
        using var client = new BuiltinChatClient();

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(messages))
            updates.Add(update);

        var text = string.Concat(updates.Select(u => u.Text));
        Assert.True(updates.Count(u => u.Text.Length > 0) > 1, "the answer arrives in several deltas");
        Assert.Contains("two to three weeks", text);
        Assert.Contains("[2]", text);
        Assert.Equal(ChatFinishReason.Stop, updates[^1].FinishReason);
        Assert.Equal(BuiltinChatClient.ModelId, client.GetService<ChatClientMetadata>()!.DefaultModelId);
    }

    [Fact]
    public void Honours_the_length_preference_written_in_the_system_prompt()
    {
        var hits = HandbookFixture.Sections("piv-card.md").Concat(HandbookFixture.Sections("laptop-setup.md")).ToList();
        string Answer(AnswerLength length) => BuiltinChatClient.Answer(PromptBuilder.Build(new PromptInput(
            "onboarding", "How do I get a PIV card and how long does it take?", "How do I get a PIV card and how long does it take?",
            hits, UserProfile.Empty with { Preferences = UserPreferences.None with { Length = length } }, null, [])));

        Assert.True(Answer(AnswerLength.Short).Length < Answer(AnswerLength.Long).Length);
    }
}
