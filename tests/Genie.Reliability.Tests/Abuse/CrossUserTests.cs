using Genie.Contracts.Agent.V1;
using Genie.Testing.Hosts;
using Google.Protobuf;
using Grpc.Core;

namespace Genie.Reliability.Tests.Abuse;

/// <summary>
/// Another learner's conversation and its messages are NOT_FOUND to a learner, exactly like an id that does not exist:
/// PERMISSION_DENIED would confirm the id is real. Nothing of the owner's changes.
/// </summary>
[Collection(nameof(AbuseCollection))]
public sealed class CrossUserTests(ServicesUnderAttack services)
{
    [Fact]
    public async Task A_learner_cannot_read_rename_delete_or_rate_another_learners_conversation()
    {
        var owner = await ChatResult.AskAsync(services.Agent.Client, services.Agent.As("owner-1"), "Where do badge holders park?");
        var conversationId = owner.Started.ConversationId;
        var messageId = owner.Completed.MessageId;
        var agent = services.ByService["genie.agent.v1.AgentService"].Address;
        var intruder = services.Token(Genie.ServiceDefaults.Auth.Roles.Learner, "intruder-1");
        var before = await services.SnapshotAsync();

        var attempts = new (string Path, IMessage Request)[]
        {
            ("/genie.agent.v1.AgentService/GetConversation", new GetConversationRequest { ConversationId = conversationId }),
            ("/genie.agent.v1.AgentService/RenameConversation", new RenameConversationRequest { ConversationId = conversationId, Title = "mine now" }),
            ("/genie.agent.v1.AgentService/DeleteConversation", new DeleteConversationRequest { ConversationId = conversationId }),
            ("/genie.agent.v1.AgentService/SubmitFeedback", new SubmitFeedbackRequest { MessageId = messageId, Rating = Rating.Down }),
            ("/genie.agent.v1.AgentService/AdminGetConversation", new AdminGetConversationRequest { ConversationId = conversationId }),
        };
        foreach (var (path, request) in attempts)
        {
            var reply = await services.Grpc.CallAsync(agent, path, RawGrpc.Frame(request.ToByteArray()), intruder);
            Assert.True(reply.Status is StatusCode.NotFound or StatusCode.PermissionDenied && reply.Messages == 0, $"{path}: {reply.Status} '{reply.Message}'");
            Assert.DoesNotContain("badge", reply.Message, StringComparison.OrdinalIgnoreCase);
            if (!path.EndsWith("AdminGetConversation", StringComparison.Ordinal)) // admins only: refused by role
                Assert.Equal(StatusCode.NotFound, reply.Status);
        }
        Assert.Equal(before, await services.SnapshotAsync());
        var still = await services.Agent.Client.GetConversationAsync(new GetConversationRequest { ConversationId = conversationId }, services.Agent.As("owner-1"));
        Assert.Equal(conversationId, still.Summary.Id);
    }
}
