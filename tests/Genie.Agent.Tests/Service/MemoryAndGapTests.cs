using System.Text.RegularExpressions;
using Genie.Agent.Answering;
using Genie.Agent.Tests.Support;
using Genie.Contracts.Agent.V1;
using Genie.ServiceDefaults.Auth;
using Genie.Testing.Hosts;
using Grpc.Core;

namespace Genie.Agent.Tests.Service;

/// <summary>Preference memory across conversations, and knowledge gaps for what the docs do not cover.</summary>
public sealed class MemoryAndGapTests : IAsyncLifetime
{
    private const string LongQuestion = "How do I get a PIV card and how long does it take?";
    private AgentTestHost _agent = null!;

    public async Task InitializeAsync() => _agent = await AgentTestHost.StartAsync(new RecordingHandbookSearch());

    public async Task DisposeAsync() => await _agent.DisposeAsync();

    [Fact]
    public async Task A_preference_stated_in_one_conversation_shapes_the_answer_in_a_new_one()
    {
        var uma = _agent.As("uma");
        var baseline = await ChatResult.AskAsync(_agent.Client, _agent.As("victor"), LongQuestion);

        var ack = await ChatResult.AskAsync(_agent.Client, uma, "Please keep answers short. I work on payments.");
        var later = await ChatResult.AskAsync(_agent.Client, uma, LongQuestion);

        Assert.Contains("short", ack.Answer);
        Assert.NotEqual(ack.Completed.ConversationId, later.Completed.ConversationId);
        Assert.InRange(Sentences(later.Answer), 1, 2);
        Assert.True(Sentences(baseline.Answer) > Sentences(later.Answer), $"baseline: {baseline.Answer}\nshort: {later.Answer}");
        var prefs = await _agent.Client.GetPreferencesAsync(new GetPreferencesRequest(), uma);
        Assert.Equal(AnswerLength.Short, prefs.AnswerLength);
        Assert.Equal("payments", prefs.RoleTeam);
    }

    [Fact]
    public async Task Learned_facts_are_listed_and_deletable_by_their_owner_only()
    {
        var wes = _agent.As("wes");
        await ChatResult.AskAsync(_agent.Client, wes, "I already know Kotlin. How do I set up my laptop?");

        var facts = await _agent.Client.ListLearnedFactsAsync(new ListLearnedFactsRequest(), wes);
        var kotlin = Assert.Single(facts.Facts);
        Assert.Equal("already knows Kotlin", kotlin.Text);
        var foreign = await Assert.ThrowsAsync<RpcException>(async () =>
            await _agent.Client.DeleteLearnedFactAsync(new DeleteLearnedFactRequest { FactId = kotlin.Id }, _agent.As("xena")));
        await _agent.Client.DeleteLearnedFactAsync(new DeleteLearnedFactRequest { FactId = kotlin.Id }, wes);

        Assert.Equal(StatusCode.NotFound, foreign.StatusCode);
        Assert.Empty((await _agent.Client.ListLearnedFactsAsync(new ListLearnedFactsRequest(), wes)).Facts);
    }

    [Fact]
    public async Task Explicit_preferences_set_only_the_masked_fields()
    {
        var yara = _agent.As("yara");
        await _agent.Client.SetPreferencesAsync(new SetPreferencesRequest
        {
            Preferences = new Preferences { AnswerLength = AnswerLength.Long, Tone = "formal", Language = "German" },
        }, yara);

        var updated = await _agent.Client.SetPreferencesAsync(new SetPreferencesRequest
        {
            Preferences = new Preferences { Tone = "friendly", Language = "ignored" },
            UpdateMask = { "tone" },
        }, yara);
        var bad = await Assert.ThrowsAsync<RpcException>(async () => await _agent.Client.SetPreferencesAsync(
            new SetPreferencesRequest { Preferences = new Preferences(), UpdateMask = { "shoe_size" } }, yara));

        Assert.Equal(AnswerLength.Long, updated.AnswerLength);
        Assert.Equal("friendly", updated.Tone);
        Assert.Equal("German", updated.Language);
        Assert.StartsWith("update_mask:", bad.Status.Detail);
    }

    [Fact]
    public async Task Uncovered_questions_get_the_plain_answer_and_similar_ones_group_together()
    {
        var zoe = _agent.As("zoe");
        await ChatResult.AskAsync(_agent.Client, zoe, "I work on checkout.");

        var first = await ChatResult.AskAsync(_agent.Client, zoe, "How do I configure the Kubernetes service mesh?");
        await ChatResult.AskAsync(_agent.Client, _agent.As("amir"), "Where is the Kubernetes service mesh configuration documented?");
        await ChatResult.AskAsync(_agent.Client, _agent.As("bea"), "What is the parking reimbursement rate?");

        Assert.Equal(ExtractiveComposer.NotCoveredAnswer, first.Answer);
        Assert.True(first.Completed.NotCovered);
        Assert.Empty(first.Citations);
        var gaps = await _agent.Client.ListKnowledgeGapsAsync(new ListKnowledgeGapsRequest(), _agent.As("root", Roles.Admin));
        var mesh = gaps.Groups[0];
        Assert.Equal(2, mesh.Count);
        Assert.Equal(2, mesh.DistinctUsers);
        Assert.Contains("checkout", mesh.Teams);
        Assert.Contains("mesh", mesh.KeyTerms);
        Assert.Contains(gaps.Groups, g => g.Count == 1 && g.RepresentativeQuestion.Contains("parking"));

        var learner = await Assert.ThrowsAsync<RpcException>(async () => await _agent.Client.ListKnowledgeGapsAsync(new ListKnowledgeGapsRequest(), zoe));
        Assert.Equal(StatusCode.PermissionDenied, learner.StatusCode);
    }

    [Fact]
    public async Task Older_turns_are_folded_into_the_rolling_summary_and_the_conversation_goes_on()
    {
        var cy = _agent.As("cy");
        var id = "";
        foreach (var q in new[] { "How do I get a PIV card?", "How do I request annual leave?", "How do I set up my laptop?", "How do I request a code review?" })
            id = (await ChatResult.AskAsync(_agent.Client, cy, q, id)).Completed.ConversationId;

        await using var connection = new Npgsql.NpgsqlConnection(_agent.ConnectionString);
        await connection.OpenAsync();
        await using var query = new Npgsql.NpgsqlCommand("select summary from agent.conversations where id = @id", connection);
        query.Parameters.AddWithValue("id", Guid.Parse(id));
        var summary = (string)(await query.ExecuteScalarAsync())!;

        Assert.Contains("The user asked: How do I get a PIV card?", summary);
        Assert.DoesNotContain("code review", summary);
    }

    private static int Sentences(string answer) => Regex.Matches(Regex.Replace(answer, @"\s*\[\d+\]", ""), @"[.!?](\s|$)").Count;
}
