using System.Reflection;
using Genie.AppHost.Tests.Infrastructure;
using Genie.Contracts.Common.V1;
using Google.Protobuf.Reflection;
using Grpc.Core;

namespace Genie.AppHost.Tests.EndToEnd;

/// <summary>
/// Every rpc in protos/ is served by the service that owns its package, and every one but health
/// and the token exchange refuses a call without a token. Checked over the wire against the real app model.
/// </summary>
[Collection(SharedAppCollection.Name)]
public sealed class ContractCoverageTests(SharedApp shared)
{
    private static readonly Dictionary<string, string> OwnerByPackage = new()
    {
        ["genie.retrieval.v1"] = "retrieval",
        ["genie.agent.v1"] = "agent",
        ["genie.lms.v1"] = "lmsbridge",
        ["genie.portal.v1"] = "web",
        ["genie.slack.v1"] = "slack",
    };

    /// <summary>Callable without a bearer token: health, and the exchange whose request carries the credential.</summary>
    private static readonly HashSet<string> Anonymous = ["/genie.portal.v1.PortalService/ExchangeToken"];

    private static IEnumerable<ServiceDescriptor> AllProtoServices() =>
        typeof(ServiceInfo).Assembly.GetTypes()
            .Where(t => t.Name.EndsWith("Reflection", StringComparison.Ordinal))
            .Select(t => t.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)?.GetValue(null))
            .OfType<FileDescriptor>()
            .SelectMany(f => f.Services)
            .Append(global::Grpc.Health.V1.HealthReflection.Descriptor.Services[0]); // compiled in Grpc.HealthCheck

    [Fact]
    public async Task Every_rpc_in_the_contracts_has_a_handler_and_requires_a_token()
    {
        var app = shared.App;
        // The shared app waits for the four core services; Slack (idle here) starts after the portal.
        using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3)))
            await app.Notifications.WaitForResourceHealthyAsync("slack", timeout.Token);
        var services = AllProtoServices().ToList();
        Assert.Contains(services, s => s.FullName == "grpc.health.v1.Health");
        Assert.All(services.Where(s => s.File.Package != "grpc.health.v1"),
            s => Assert.True(OwnerByPackage.ContainsKey(s.File.Package), $"no owner service for package {s.File.Package}"));

        // Slack starts after Web (it waits for it), so the shared app may not have it up yet.
        using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3)))
            foreach (var owner in OwnerByPackage.Values.Distinct())
                await app.Notifications.WaitForResourceHealthyAsync(owner, timeout.Token);

        var problems = new List<string>();
        var checkedCount = 0;
        foreach (var service in services)
        {
            var owners = service.File.Package == "grpc.health.v1" ? OwnerByPackage.Values.ToArray() : [OwnerByPackage[service.File.Package]];
            foreach (var owner in owners)
            {
                foreach (var method in service.Methods)
                {
                    var path = $"/{service.FullName}/{method.Name}";
                    var status = await ServiceCalls.CallWithoutTokenAsync(app, owner, path);
                    checkedCount++;
                    if (status == StatusCode.Unimplemented)
                        problems.Add($"{owner}: {path} has no handler");
                    else if (service.File.Package != "grpc.health.v1" && !Anonymous.Contains(path) && status != StatusCode.Unauthenticated)
                        problems.Add($"{owner}: {path} answered {status} without a token");
                }
            }
        }
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        Assert.True(checkedCount > 20, $"only {checkedCount} rpcs were checked");
    }
}
