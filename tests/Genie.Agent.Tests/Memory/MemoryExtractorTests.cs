using Genie.Agent.Memory;
using Genie.Contracts.Agent.V1;

namespace Genie.Agent.Tests.Memory;

public sealed class MemoryExtractorTests
{
    [Theory]
    [InlineData("I work on payments", "team", "works on payments")]
    [InlineData("I'm on the checkout team.", "team", "works on checkout")]
    [InlineData("I already know Kotlin, so skip the basics", "knows", "already knows Kotlin")]
    [InlineData("I'm familiar with C# and Go", "knows", "already knows C#")]
    [InlineData("I'm new to Terraform.", "new_to", "is new to Terraform")]
    [InlineData("I am a senior backend engineer", "role", "is a senior backend engineer")]
    public void Finds_facts_about_the_user(string message, string kind, string text)
    {
        var memory = MemoryExtractor.Extract(message);

        Assert.Contains(new FactEntry(kind, text), memory.Facts);
    }

    [Fact]
    public void Team_becomes_the_role_team_preference()
    {
        Assert.Equal("payments", MemoryExtractor.Extract("I work on payments").RoleTeam);
    }

    [Theory]
    [InlineData("Please keep answers short.", AnswerLength.Short)]
    [InlineData("be brief", AnswerLength.Short)]
    [InlineData("I'd like more detailed answers", AnswerLength.Long)]
    public void Finds_the_length_preference(string message, AnswerLength expected)
    {
        Assert.Equal(expected, MemoryExtractor.Extract(message).Length);
    }

    [Fact]
    public void Finds_tone_and_language()
    {
        var memory = MemoryExtractor.Extract("Please answer in spanish and be formal.");

        Assert.Equal("Spanish", memory.Language);
        Assert.Equal("formal", memory.Tone);
    }

    [Fact]
    public void A_plain_question_teaches_nothing()
    {
        var memory = MemoryExtractor.Extract("How do I get a PIV card?");

        Assert.True(memory.IsEmpty);
        Assert.False(memory.IsOnlyAboutTheUser);
    }

    [Fact]
    public void A_statement_about_the_user_is_only_about_the_user_but_a_question_with_one_is_not()
    {
        Assert.True(MemoryExtractor.Extract("Keep answers short. I work on payments.").IsOnlyAboutTheUser);
        Assert.False(MemoryExtractor.Extract("I work on payments. How do I get a PIV card?").IsOnlyAboutTheUser);
    }

    [Fact]
    public void Acknowledgement_repeats_what_was_learned()
    {
        var ack = MemoryExtractor.Extract("Keep answers short. I work on payments.").Acknowledgement();

        Assert.Contains("short", ack);
        Assert.Contains("you work on payments", ack);
    }
}
