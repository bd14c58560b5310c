using Genie.Agent.Tests.Support;
using Genie.Contracts.Agent.V1;
using Genie.ServiceDefaults.Auth;
using Genie.Testing.Hosts;
using Grpc.Core;
using Npgsql;

namespace Genie.Agent.Tests.Service;

/// <summary>Chat through real gRPC and PostgreSQL with the built-in model: storage, ownership, feedback, token forwarding.</summary>
public sealed class ConversationServiceTests : IAsyncLifetime
{
    private readonly RecordingHandbookSearch _search = new();
    private AgentTestHost _agent = null!;

    public async Task InitializeAsync() => _agent = await AgentTestHost.StartAsync(_search);

    public async Task DisposeAsync() => await _agent.DisposeAsync();

    [Fact]
    public async Task Answer_streams_then_citations_then_the_final_record_and_the_turn_is_stored()
    {
        var alice = _agent.As("alice");

        var result = await ChatResult.AskAsync(_agent.Client, alice, "How long does it take to get a PIV card?");

        Assert.Equal(ChatEvent.EventOneofCase.Started, result.Events[0].EventCase);
        Assert.Equal(ChatEvent.EventOneofCase.Completed, result.Events[^1].EventCase);
        Assert.Equal(ChatEvent.EventOneofCase.Citations, result.Events[^2].EventCase);
        Assert.Contains("two to three weeks", result.Answer);
        Assert.All(result.Citations, c => Assert.Contains($"[{c.Marker}]", result.Answer));
        var citation = result.Citations[0];
        Assert.Equal("Getting your PIV card", citation.DocumentTitle);
        Assert.Equal("Getting your PIV card > How long it takes", citation.HeadingPath);
        Assert.Matches($@"two to three weeks[^\[]*\[{citation.Marker}\]", result.Answer);
        Assert.Equal("builtin-extractive", result.Completed.Model);
        Assert.False(result.Completed.Incomplete);

        var stored = await _agent.Client.GetConversationAsync(new GetConversationRequest { ConversationId = result.Completed.ConversationId }, alice);
        Assert.Equal(["user", "assistant"], stored.Messages.Select(m => m.Role));
        Assert.Equal(result.Answer, stored.Messages[1].Content);
        Assert.Equal(result.Completed.MessageId, stored.Messages[1].Id);
        Assert.Equal(result.Citations.Select(c => c.ChunkId), stored.Messages[1].Citations.Select(c => c.ChunkId));
    }

    [Fact]
    public async Task Retrieval_is_searched_with_the_callers_own_token()
    {
        var options = _agent.As("token-check");

        await ChatResult.AskAsync(_agent.Client, options, "How do I request annual leave?");

        Assert.Contains(_search.Queries, q => "Bearer " + q.UserToken == options.Headers!.GetValue("authorization"));
    }

    [Fact]
    public async Task A_follow_up_is_rewritten_with_the_conversation_and_answered_from_it()
    {
        var bob = _agent.As("bob");
        var first = await ChatResult.AskAsync(_agent.Client, bob, "How do I get a PIV card?");

        var followUp = await ChatResult.AskAsync(_agent.Client, bob, "and how long does that take?", first.Completed.ConversationId);

        Assert.Contains("PIV", followUp.Started.StandaloneQuery);
        Assert.Contains("two to three weeks", followUp.Answer);
        Assert.Equal(first.Completed.ConversationId, followUp.Completed.ConversationId);
    }

    [Fact]
    public async Task Concurrent_turns_of_one_conversation_are_numbered_in_pairs_and_the_summary_catches_up()
    {
        var jo = _agent.As("jo");
        var first = await ChatResult.AskAsync(_agent.Client, jo, "How do I get a PIV card?");
        var id = first.Completed.ConversationId;

        await Task.WhenAll(new[] { "How do I request annual leave?", "How do I set up my laptop?", "How do I request a code review?", "How long does a PIV card take?" }
            .Select(q => ChatResult.AskAsync(_agent.Client, jo, q, id)));
        await ChatResult.AskAsync(_agent.Client, jo, "When are the office plants watered?", id);

        await using var connection = new NpgsqlConnection(_agent.ConnectionString);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand(
            """
            select string_agg(seq || role, ',' order by seq),
                   (select message_count || '/' || summarized_through from agent.conversations where id = @id),
                   (select summary from agent.conversations where id = @id)
            from agent.messages where conversation_id = @id
            """, connection);
        query.Parameters.AddWithValue("id", Guid.Parse(id));
        await using var reader = await query.ExecuteReaderAsync();
        await reader.ReadAsync();

        Assert.Equal(string.Join(',', Enumerable.Range(1, 12).Select(n => n % 2 == 1 ? $"{n}user" : $"{n}assistant")), reader.GetString(0));
        Assert.Equal("12/6", reader.GetString(1));
        Assert.StartsWith("- The user asked: How do I get a PIV card?", reader.GetString(2));
        Assert.Equal(3, reader.GetString(2).Split('\n').Length);
    }

    [Fact]
    public async Task A_user_sees_only_their_own_conversations()
    {
        var owner = _agent.As("carol");
        var other = _agent.As("dave");
        var chat = await ChatResult.AskAsync(_agent.Client, owner, "How do I request a code review?");
        var id = chat.Completed.ConversationId;

        var read = await Assert.ThrowsAsync<RpcException>(async () => await _agent.Client.GetConversationAsync(new GetConversationRequest { ConversationId = id }, other));
        var rename = await Assert.ThrowsAsync<RpcException>(async () => await _agent.Client.RenameConversationAsync(new RenameConversationRequest { ConversationId = id, Title = "mine" }, other));
        var cont = await Assert.ThrowsAsync<RpcException>(async () => await ChatResult.AskAsync(_agent.Client, other, "and then?", id));
        var list = await _agent.Client.ListConversationsAsync(new ListConversationsRequest(), other);

        Assert.Equal(StatusCode.NotFound, read.StatusCode);
        Assert.Equal(StatusCode.NotFound, rename.StatusCode);
        Assert.Equal(StatusCode.NotFound, cont.StatusCode);
        Assert.DoesNotContain(list.Conversations, c => c.Id == id);
    }

    [Fact]
    public async Task List_is_newest_first_and_paged_and_rename_and_delete_work()
    {
        var erin = _agent.As("erin");
        var ids = new List<string>();
        foreach (var question in new[] { "How do I get a PIV card?", "How do I request annual leave?", "How do I set up my laptop?" })
            ids.Add((await ChatResult.AskAsync(_agent.Client, erin, question)).Completed.ConversationId);

        var page1 = await _agent.Client.ListConversationsAsync(new ListConversationsRequest { PageSize = 2 }, erin);
        var page2 = await _agent.Client.ListConversationsAsync(new ListConversationsRequest { PageSize = 2, PageToken = page1.NextPageToken }, erin);
        Assert.Equal([ids[2], ids[1]], page1.Conversations.Select(c => c.Id));
        Assert.Equal([ids[0]], page2.Conversations.Select(c => c.Id));
        Assert.Equal("", page2.NextPageToken);
        Assert.Equal("How do I get a PIV card?", page2.Conversations[0].Title);

        var renamed = await _agent.Client.RenameConversationAsync(new RenameConversationRequest { ConversationId = ids[0], Title = "Badge" }, erin);
        Assert.Equal("Badge", renamed.Title);
        await _agent.Client.DeleteConversationAsync(new DeleteConversationRequest { ConversationId = ids[1] }, erin);
        var after = await _agent.Client.ListConversationsAsync(new ListConversationsRequest(), erin);
        Assert.Equal([ids[2], ids[0]], after.Conversations.Select(c => c.Id));
    }

    [Fact]
    public async Task Feedback_is_kept_on_assistant_messages_only_and_shown_with_the_conversation()
    {
        var frank = _agent.As("frank");
        var chat = await ChatResult.AskAsync(_agent.Client, frank, "How do I request annual leave?");

        await _agent.Client.SubmitFeedbackAsync(new SubmitFeedbackRequest { MessageId = chat.Completed.MessageId, Rating = Rating.Down, Comment = "too vague" }, frank);
        var latest = await _agent.Client.SubmitFeedbackAsync(new SubmitFeedbackRequest { MessageId = chat.Completed.MessageId, Rating = Rating.Up }, frank);
        var conversation = await _agent.Client.GetConversationAsync(new GetConversationRequest { ConversationId = chat.Completed.ConversationId }, frank);
        var onUserMessage = await Assert.ThrowsAsync<RpcException>(async () => await _agent.Client.SubmitFeedbackAsync(
            new SubmitFeedbackRequest { MessageId = conversation.Messages[0].Id, Rating = Rating.Up }, frank));
        var byOther = await Assert.ThrowsAsync<RpcException>(async () => await _agent.Client.SubmitFeedbackAsync(
            new SubmitFeedbackRequest { MessageId = chat.Completed.MessageId, Rating = Rating.Up }, _agent.As("mallory")));

        Assert.Equal(Rating.Up, latest.Rating);
        Assert.Equal(Rating.Up, conversation.Messages[1].Feedback.Rating);
        Assert.Equal(StatusCode.NotFound, onUserMessage.StatusCode);
        Assert.Equal(StatusCode.NotFound, byOther.StatusCode);
    }

    [Fact]
    public async Task Admins_read_others_conversations_only_with_a_reason_and_it_is_audited()
    {
        var grace = _agent.As("grace");
        var chat = await ChatResult.AskAsync(_agent.Client, grace, "How do I set up my laptop?");
        var admin = _agent.As("root", Roles.Admin);
        var id = chat.Completed.ConversationId;

        var noReason = await Assert.ThrowsAsync<RpcException>(async () => await _agent.Client.AdminGetConversationAsync(new AdminGetConversationRequest { ConversationId = id }, admin));
        var notAdmin = await Assert.ThrowsAsync<RpcException>(async () => await _agent.Client.AdminGetConversationAsync(
            new AdminGetConversationRequest { ConversationId = id, Reason = "curious about it" }, _agent.As("henry")));
        var read = await _agent.Client.AdminGetConversationAsync(new AdminGetConversationRequest { ConversationId = id, Reason = "support ticket 4711" }, admin);

        Assert.Equal(StatusCode.InvalidArgument, noReason.StatusCode);
        Assert.StartsWith("reason:", noReason.Status.Detail);
        Assert.Equal(StatusCode.PermissionDenied, notAdmin.StatusCode);
        Assert.Equal("grace", read.UserId);
        await using var connection = new NpgsqlConnection(_agent.ConnectionString);
        await connection.OpenAsync();
        await using var audit = new NpgsqlCommand("select admin_user_id || '|' || conversation_user_id || '|' || reason from agent.admin_access_audit", connection);
        Assert.Equal("root|grace|support ticket 4711", await audit.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Bad_input_is_refused_with_the_field_named()
    {
        var ivan = _agent.As("ivan");

        var empty = await Assert.ThrowsAsync<RpcException>(async () => await ChatResult.AskAsync(_agent.Client, ivan, "   "));
        var bot = await Assert.ThrowsAsync<RpcException>(async () => await ChatResult.AskAsync(_agent.Client, ivan, "hi", bot: "sales"));
        var id = await Assert.ThrowsAsync<RpcException>(async () => await ChatResult.AskAsync(_agent.Client, ivan, "hi", "not-an-id"));
        var page = await Assert.ThrowsAsync<RpcException>(async () => await _agent.Client.ListConversationsAsync(new ListConversationsRequest { PageSize = 500 }, ivan));

        Assert.All([empty, bot, id, page], e => Assert.Equal(StatusCode.InvalidArgument, e.StatusCode));
        Assert.StartsWith("message:", empty.Status.Detail);
        Assert.StartsWith("bot:", bot.Status.Detail);
        Assert.StartsWith("conversation_id:", id.Status.Detail);
        Assert.StartsWith("page_size:", page.Status.Detail);
    }
}
