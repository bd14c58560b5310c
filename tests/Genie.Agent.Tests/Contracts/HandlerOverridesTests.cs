using System.Reflection;
using Genie.Agent;
using Genie.LmsBridge;
using Genie.Retrieval.Api;
using Genie.Slack.Admin;
using Genie.Slack.Welcome;
using Genie.Web.AccessTokens;
using Google.Protobuf.Reflection;
using Grpc.Core;

namespace Genie.Agent.Tests.Contracts;

/// <summary>
/// Every rpc of every generated <c>*Base</c> in Genie.Contracts is overridden by the owning service's
/// handler: an rpc left to the base would answer UNIMPLEMENTED. (The over-the-wire check of every service is
/// ContractCoverageTests in Genie.AppHost.Tests.)
/// </summary>
public sealed class HandlerOverridesTests
{
    private static readonly Dictionary<string, Type> HandlerByService = new()
    {
        ["genie.retrieval.v1.RetrievalService"] = typeof(RetrievalHandler),
        ["genie.lms.v1.LmsService"] = typeof(LmsHandler),
        ["genie.agent.v1.AgentService"] = typeof(AgentHandler),
        ["genie.portal.v1.PortalService"] = typeof(PortalHandler),
        ["genie.slack.v1.SlackAdminService"] = typeof(SlackAdminHandler),
        ["genie.slack.v1.SlackNoticeService"] = typeof(WelcomeNoticeHandler),
    };

    public static TheoryData<string> GeneratedServices() => [.. GeneratedBases().Keys];

    [Fact]
    public void Every_generated_base_has_a_named_handler()
    {
        Assert.Equal(GeneratedBases().Keys.Order(), HandlerByService.Keys.Order());
    }

    [Theory]
    [MemberData(nameof(GeneratedServices))]
    public void The_handler_overrides_every_rpc(string service)
    {
        var (baseType, descriptor) = GeneratedBases()[service];
        var handler = HandlerByService[service];
        Assert.True(handler.IsSubclassOf(baseType), $"{handler.Name} does not derive from {baseType.FullName}");
        var missing = descriptor.Methods
            .Where(m => handler.GetMethod(m.Name, BindingFlags.Public | BindingFlags.Instance)?.DeclaringType is not { } declared || declared == baseType)
            .Select(m => m.Name)
            .ToList();
        Assert.True(missing.Count == 0, $"{handler.Name} does not override: {string.Join(", ", missing)}");
        Assert.NotEmpty(descriptor.Methods);
    }

    /// <summary>The generated server bases (marked [BindServiceMethod]) by their proto service's full name.</summary>
    private static Dictionary<string, (Type Base, ServiceDescriptor Descriptor)> GeneratedBases() =>
        typeof(Genie.Contracts.Common.V1.ServiceInfo).Assembly.GetTypes()
            .Where(t => t.IsAbstract && t.GetCustomAttribute<BindServiceMethodAttribute>() is not null)
            .Select(t => (Base: t, Descriptor: (ServiceDescriptor)t.DeclaringType!.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!))
            .ToDictionary(x => x.Descriptor.FullName);
}
