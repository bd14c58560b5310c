using Genie.Contracts.Agent.V1;
using Genie.Testing.Hosts;
using Google.Protobuf;
using Grpc.Core;
using System.Net;
using Genie.Contracts.Retrieval.V1;
using Genie.Reliability.Tests.Portal;
using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Clients;

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

    [Fact]
    public async Task Preferences_are_per_person_a_learner_neither_sees_nor_changes_another_learners()
    {
        var owner = services.Agent.As("prefs-owner");
        var intruder = services.Agent.As("prefs-intruder");
        var mine = new Preferences { AnswerLength = AnswerLength.Short, Tone = "formal", Language = "Spanish", RoleTeam = "payments", Level = "beginner" };
        await services.Agent.Client.SetPreferencesAsync(new SetPreferencesRequest { Preferences = mine }, owner);
        Assert.NotEqual("formal", (await services.Agent.Client.GetPreferencesAsync(new GetPreferencesRequest(), intruder)).Tone);
        await services.Agent.Client.SetPreferencesAsync(new SetPreferencesRequest { Preferences = new Preferences { Tone = "pirate", Language = "Klingon" } }, intruder);
        var still = await services.Agent.Client.GetPreferencesAsync(new GetPreferencesRequest(), owner);
        Assert.Equal(("formal", "Spanish", "payments"), (still.Tone, still.Language, still.RoleTeam));

        var lmsOwner = services.LmsBridge.Client(Roles.Learner, "reminders-owner@example.test");
        var lmsIntruder = services.LmsBridge.Client(Roles.Learner, "reminders-intruder@example.test");
        await lmsOwner.SetReminderPreferencesAsync(new Genie.Contracts.Lms.V1.ReminderPreferences { Quiet = true, TimeZone = "Europe/Madrid", QuietHoursStart = "22:00", QuietHoursEnd = "07:00" });
        Assert.False((await lmsIntruder.GetReminderPreferencesAsync(new Genie.Contracts.Lms.V1.GetReminderPreferencesRequest())).Quiet);
        await lmsIntruder.SetReminderPreferencesAsync(new Genie.Contracts.Lms.V1.ReminderPreferences { Quiet = false, TimeZone = "UTC" });
        var reminders = await lmsOwner.GetReminderPreferencesAsync(new Genie.Contracts.Lms.V1.GetReminderPreferencesRequest());
        Assert.Equal((true, "Europe/Madrid", "22:00"), (reminders.Quiet, reminders.TimeZone, reminders.QuietHoursStart));
    }

    [Fact]
    public async Task Documents_of_a_knowledge_base_not_granted_are_not_found_and_never_searched()
    {
        var kb = await services.Retrieval.CreateKbWithDocumentsAsync("Board only " + Guid.NewGuid().ToString("N")[..6], new Genie.Contracts.Retrieval.V1.Grants(),
            [("merger.md", "# Merger\n\n## Project Zebracorn\n\nThe zebracorn acquisition closes in March at a confidential price.")]);
        var document = (await services.Retrieval.Client.ListDocumentsAsync(new ListDocumentsRequest { KnowledgeBaseId = kb.Id }, services.Retrieval.Admin)).Documents.Single();
        var chunk = (await services.Retrieval.Client.GetDocumentAsync(new GetDocumentRequest { Id = document.Id, IncludeChunks = true }, services.Retrieval.Admin)).Chunks.First();
        var retrieval = services.ByService["genie.retrieval.v1.RetrievalService"].Address;
        var before = await services.SnapshotAsync();
        foreach (var role in new[] { Roles.Learner, Roles.Instructor })
        {
            var token = services.Token(role, "kb-intruder-" + role);
            var notFound = new (string Path, IMessage Request)[]
            {
                ("/genie.retrieval.v1.RetrievalService/GetKnowledgeBase", new GetKnowledgeBaseRequest { Id = kb.Id }),
                ("/genie.retrieval.v1.RetrievalService/ListDocuments", new ListDocumentsRequest { KnowledgeBaseId = kb.Id }),
                ("/genie.retrieval.v1.RetrievalService/GetDocument", new GetDocumentRequest { Id = document.Id, IncludeChunks = true }),
                ("/genie.retrieval.v1.RetrievalService/GetChunk", new GetChunkRequest { Id = chunk.Id }),
                ("/genie.retrieval.v1.RetrievalService/ListSources", new ListSourcesRequest { KnowledgeBaseId = kb.Id }),
            };
            foreach (var (path, request) in notFound)
            {
                var reply = await services.Grpc.CallAsync(retrieval, path, RawGrpc.Frame(request.ToByteArray()), token);
                Assert.True(reply.Status is StatusCode.NotFound or StatusCode.PermissionDenied && reply.Messages == 0, $"{role} {path}: {reply.Status} '{reply.Message}'");
                Assert.DoesNotContain("zebracorn", reply.Message, StringComparison.OrdinalIgnoreCase);
            }
            var options = BearerToken.Options(token);
            var search = await services.Retrieval.Client.SearchAsync(new SearchRequest { Query = "zebracorn acquisition" }, options);
            Assert.DoesNotContain(search.Hits, h => h.KnowledgeBaseId == kb.Id || h.Text.Contains("zebracorn", StringComparison.OrdinalIgnoreCase));
            try
            {
                var named = await services.Retrieval.Client.SearchAsync(new SearchRequest { Query = "zebracorn", KnowledgeBaseIds = { kb.Id } }, options);
                Assert.DoesNotContain(named.Hits, h => h.KnowledgeBaseId == kb.Id);
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.NotFound or StatusCode.PermissionDenied)
            {
                Assert.DoesNotContain("zebracorn", e.Status.Detail, StringComparison.OrdinalIgnoreCase);
            }
            var listed = await services.Retrieval.Client.ListKnowledgeBasesAsync(new ListKnowledgeBasesRequest(), options);
            Assert.DoesNotContain(listed.KnowledgeBases, k => k.Id == kb.Id);
            // an answer built on that search quotes nothing of it
            var answer = await ChatResult.AskAsync(services.Agent.Client, services.Agent.As("kb-intruder-chat-" + role, role), "What is project zebracorn and when does it close?");
            Assert.DoesNotContain("March", answer.Answer, StringComparison.Ordinal);
            Assert.DoesNotContain(answer.Citations, c => c.Uri.Contains("merger", StringComparison.Ordinal));
        }
        var after = await services.SnapshotAsync();
        Assert.Equal(before.Where(l => l.StartsWith("Retrieval", StringComparison.Ordinal)), after.Where(l => l.StartsWith("Retrieval", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_learner_cannot_revoke_another_learners_access_token_nor_open_their_conversation_in_the_portal()
    {
        var (ownerId, owner) = await PortalPeople.NewAsync(services.Web, Roles.Learner);
        var (_, intruder) = await PortalPeople.NewAsync(services.Web, Roles.Learner);
        using (owner)
        using (intruder)
        {
            var (tokenId, secret) = await services.Web.CreateAccessTokenAsync(ownerId, "owner-cli");
            var conversation = await ChatResult.AskAsync(services.Agent.Client, services.Agent.As(ownerId.ToString()), "Where do badge holders park on Tuesdays?", bot: "onboarding");
            var conversationId = conversation.Started.ConversationId;
            await PortalFormAbuseTests.AssignEveryBotAsync(await PortalPeople.AdminAsync(services.Web));
            var before = await services.SnapshotAsync();

            // the intruder's own forms, aimed at the owner's records
            var tokens = PortalCrawler.FormsOf("/Me/Tokens", (await intruder.GetAsync("/Me/Tokens")).Body).First(f => f.Action.Contains("handler=Create", StringComparison.Ordinal));
            var revoked = await intruder.PostEncodedAsync($"/Me/Tokens?handler=Revoke&id={tokenId}", PortalForm.Encode([new(PortalForm.TokenField, tokens.Token!)]));
            Assert.Equal(HttpStatusCode.Redirect, revoked.Status);
            Assert.Contains("not found", (await intruder.GetAsync("/Me/Tokens")).Body, StringComparison.Ordinal);
            Assert.DoesNotContain("owner-cli", (await intruder.GetAsync("/Me/Tokens")).Body, StringComparison.Ordinal);

            var chat = await intruder.GetAsync($"/Chat?bot=onboarding&c={conversationId}");
            Assert.DoesNotContain("Tuesdays", chat.Body, StringComparison.Ordinal);
            var ask = PortalCrawler.FormsOf("/Chat?bot=onboarding", (await intruder.GetAsync("/Chat?bot=onboarding")).Body).First(f => f.Action.Contains("handler=Ask", StringComparison.Ordinal));
            foreach (var handler in new[] { "Rename", "Delete" })
            {
                var posted = await intruder.PostEncodedAsync($"/Chat?bot=onboarding&c={conversationId}&handler={handler}",
                    PortalForm.Encode([new("title", "mine now"), new(PortalForm.TokenField, ask.Token!)]));
                Assert.True((int)posted.Status < 500, $"{handler}: {(int)posted.Status}");
            }
            Assert.Equal(before.Where(l => !l.Contains(" portal.audit", StringComparison.Ordinal)), (await services.SnapshotAsync()).Where(l => !l.Contains(" portal.audit", StringComparison.Ordinal)));

            using var channel = Grpc.Net.Client.GrpcChannel.ForAddress(services.Web.GrpcAddress);
            var exchanged = await new Genie.Contracts.Portal.V1.PortalService.PortalServiceClient(channel)
                .ExchangeTokenAsync(new Genie.Contracts.Portal.V1.ExchangeTokenRequest { PersonalAccessToken = secret });
            Assert.Equal(ownerId.ToString(), exchanged.UserId);
            var still = await services.Agent.Client.GetConversationAsync(new GetConversationRequest { ConversationId = conversationId }, services.Agent.As(ownerId.ToString()));
            Assert.Equal(conversation.Completed.MessageId, still.Messages.Last().Id);
        }
    }

    [Fact]
    public async Task A_learner_cannot_review_feedback_nor_delete_another_learners_remembered_facts()
    {
        var owner = services.Agent.As("facts-owner");
        await ChatResult.AskAsync(services.Agent.Client, owner, "I already know Kotlin. How do I set up my laptop?");
        var fact = (await services.Agent.Client.ListLearnedFactsAsync(new ListLearnedFactsRequest(), owner)).Facts.Single();
        var intruder = services.Token(Roles.Learner, "facts-intruder");
        var agent = services.ByService["genie.agent.v1.AgentService"].Address;
        var before = await services.SnapshotAsync();
        var feedback = await services.Grpc.CallAsync(agent, "/genie.agent.v1.AgentService/ListFeedback", RawGrpc.Frame(new ListFeedbackRequest().ToByteArray()), intruder);
        Assert.Equal(StatusCode.PermissionDenied, feedback.Status);
        var deleted = await services.Grpc.CallAsync(agent, "/genie.agent.v1.AgentService/DeleteLearnedFact",
            RawGrpc.Frame(new DeleteLearnedFactRequest { FactId = fact.Id }.ToByteArray()), intruder);
        Assert.Equal(StatusCode.NotFound, deleted.Status);
        Assert.Equal(before, await services.SnapshotAsync());
        Assert.Contains((await services.Agent.Client.ListLearnedFactsAsync(new ListLearnedFactsRequest(), owner)).Facts, f => f.Id == fact.Id);
    }
}
