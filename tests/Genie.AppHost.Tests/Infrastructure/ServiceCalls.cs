using Genie.Contracts.Common.V1;
using Genie.ServiceDefaults.Clients;
using Genie.ServiceDefaults.Grpc;
using Genie.ServiceDefaults.Grpc.Client;
using Google.Protobuf.WellKnownTypes;
using Grpc.Health.V1;

namespace Genie.AppHost.Tests.Infrastructure;

/// <summary>
/// Every gRPC call the AppHost tests make to a service, over a channel to the resource's
/// <c>grpc</c> endpoint (DCP's proxy), optionally with a signed token. The only file that knows
/// the client API.
/// </summary>
internal static class ServiceCalls
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>A new channel (and so a new connection) to the resource's grpc endpoint.</summary>
    public static GrpcChannel Channel(GenieApp app, string resource, string? bearerToken = null) =>
        new([app.GetEndpoint(resource, "grpc")], new GrpcChannelOptions { DefaultBearerToken = bearerToken is null ? null : () => bearerToken });

    public static async Task<HealthCheckResponse.Types.ServingStatus> HealthAsync(GenieApp app, string resource)
    {
        using var channel = Channel(app, resource);
        var response = await new HealthClient(channel).CheckAsync(new HealthCheckRequest(), Options());
        return response.Status;
    }

    /// <summary>GetServiceInfo of retrieval, agent or lmsbridge, called as a service.</summary>
    public static async Task<ServiceInfo> ServiceInfoAsync(GenieApp app, string resource)
    {
        using var channel = Channel(app, resource, app.Tokens.IssueForService("tests", TimeSpan.FromHours(1)));
        var request = new GetServiceInfoRequest();
        return resource switch
        {
            "retrieval" => await new RetrievalClient(channel).GetServiceInfoAsync(request, Options()),
            "agent" => await new AgentClient(channel).GetServiceInfoAsync(request, Options()),
            "lmsbridge" => await new LmsClient(channel).GetServiceInfoAsync(request, Options()),
            _ => throw new ArgumentException($"{resource} has no GetServiceInfo", nameof(resource)),
        };
    }

    /// <summary>Calls <paramref name="path"/> with an empty request and no token; the status it ends with.</summary>
    public static async Task<StatusCode> CallWithoutTokenAsync(GenieApp app, string resource, string path)
    {
        using var channel = Channel(app, resource);
        try
        {
            // An empty request decodes as any proto3 message; an empty response type accepts any reply.
            await foreach (var _ in channel.ServerStreamingAsync<Empty, Empty>(path, new Empty(), new CallOptions { Deadline = DateTimeOffset.UtcNow.AddSeconds(10) }))
                return StatusCode.OK;
            return StatusCode.OK;
        }
        catch (RpcException ex)
        {
            return ex.Status;
        }
    }

    private static CallOptions Options() => new() { Deadline = DateTimeOffset.UtcNow.Add(Deadline) };
}
