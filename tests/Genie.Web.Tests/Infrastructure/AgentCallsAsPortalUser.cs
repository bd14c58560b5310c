using Genie.Contracts.Agent.V1;
using Genie.ServiceDefaults.Auth;
using Grpc.Core;
using Genie.Testing.Hosts;

namespace Genie.Web.Tests.Infrastructure;

/// <summary>The Agent called as a portal user: the token subject is their portal id, as the portal issues it.</summary>
public static class AgentCallsAsPortalUser
{
    public static CallOptions As(this AgentTestHost agent, TestUser user, string role = Roles.Learner) =>
        agent.As(user.Id.ToString(), role, user.Email);

    /// <summary>Asks the Onboarding Bot as <paramref name="user"/> (a new conversation) and waits for the whole answer.</summary>
    public static async Task<ChatCompleted> AskAsync(this AgentTestHost agent, TestUser user, string question) =>
        (await ChatResult.AskAsync(agent.Client, agent.As(user), question, bot: "onboarding")).Completed;
}
