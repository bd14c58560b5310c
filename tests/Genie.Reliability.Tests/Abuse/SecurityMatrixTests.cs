using Grpc.Core;
using Xunit.Abstractions;

namespace Genie.Reliability.Tests.Abuse;

/// <summary>
/// Every rpc found in the generated descriptors (a new rpc is covered without touching this file) refuses every kind
/// of bad bearer token with UNAUTHENTICATED and writes nothing; health and ExchangeToken are the listed exceptions.
/// </summary>
[Collection(nameof(AbuseCollection))]
public sealed class SecurityMatrixTests(ServicesUnderAttack services, ITestOutputHelper output)
{
    [Fact]
    public void Every_service_declared_in_protos_is_enumerated_and_hosted()
    {
        var found = ServicesUnderAttack.Services.Select(service => service.FullName).ToHashSet();
        Assert.Subset(found, ServicesUnderAttack.DeclaredInProtos().ToHashSet());
        Assert.Contains("genie.portal.v1.PortalService", found);
        Assert.Contains("grpc.health.v1.Health", found);
        foreach (var name in found.Where(name => !name.StartsWith("grpc.health", StringComparison.Ordinal)))
            Assert.True(services.ByService.ContainsKey(name), $"{name} has no host in the abuse tests");
        Assert.Contains(ServicesUnderAttack.Rpcs, rpc => rpc.Path == "/genie.portal.v1.PortalService/ExchangeToken");
    }

    [Fact]
    public async Task Every_rpc_but_health_and_ExchangeToken_refuses_bad_tokens_with_unauthenticated_and_writes_nothing()
    {
        var before = await services.SnapshotAsync();
        var cases = (from rpc in ServicesUnderAttack.Rpcs
                     where !ServicesUnderAttack.Anonymous.Contains(rpc.Path)
                     from token in Tokens.Refused(services.SigningKey)
                     select (Rpc: rpc, token.Kind, token.Token)).ToList();
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (c, _) =>
        {
            var reply = await services.Grpc.CallAsync(services.For(c.Rpc).Address, c.Rpc.Path, RawGrpc.Frame([]), c.Token);
            if (reply.Status != StatusCode.Unauthenticated || reply.Messages > 0)
                failures.Add($"{c.Rpc} with {c.Kind}: {reply.Status} '{reply.Message}', {reply.Messages} messages");
        });
        foreach (var service in cases.GroupBy(c => c.Rpc.Service.Name))
            output.WriteLine($"{service.Key}: {service.Count()} bad-token cases ({service.Select(c => c.Rpc).Distinct().Count()} rpcs)");
        Assert.True(failures.IsEmpty, string.Join("\n", failures.Order()));
        Assert.Equal(before, await services.SnapshotAsync());
    }
}
