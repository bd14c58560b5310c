using Genie.Contracts.Agent.V1;
using Genie.Contracts.Common.V1;
using Genie.Contracts.Lms.V1;
using Genie.Contracts.Retrieval.V1;
using Genie.ServiceDefaults.Clients;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace Genie.AppHost.Tests.Infrastructure;

/// <summary>
/// Every gRPC call the AppHost tests make to a service: the generated clients over a channel to the
/// resource's <c>grpc</c> endpoint (DCP's proxy), optionally with a signed token.
/// </summary>
internal static class ServiceCalls
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>A new channel (and so a new connection) to the resource's grpc endpoint.</summary>
    public static GrpcChannel Channel(GenieApp app, string resource) => GrpcChannel.ForAddress(app.GetEndpoint(resource, "grpc"));

    public static async Task<HealthCheckResponse.Types.ServingStatus> HealthAsync(GenieApp app, string resource)
    {
        using var channel = Channel(app, resource);
        var response = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow + Deadline);
        return response.Status;
    }

    /// <summary>GetServiceInfo of retrieval, agent or lmsbridge, called as a service.</summary>
    public static async Task<ServiceInfo> ServiceInfoAsync(GenieApp app, string resource)
    {
        using var channel = Channel(app, resource);
        var options = BearerToken.Options(app.Tokens.IssueForService("tests", TimeSpan.FromHours(1)), Deadline);
        var request = new GetServiceInfoRequest();
        return resource switch
        {
            "retrieval" => await new RetrievalService.RetrievalServiceClient(channel).GetServiceInfoAsync(request, options),
            "agent" => await new AgentService.AgentServiceClient(channel).GetServiceInfoAsync(request, options),
            "lmsbridge" => await new LmsService.LmsServiceClient(channel).GetServiceInfoAsync(request, options),
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
            // Read as a server stream, so unary and streaming rpcs alike end with their status.
            using var call = channel.CreateCallInvoker().AsyncServerStreamingCall(AnyRpc(path), null,
                new CallOptions(deadline: DateTime.UtcNow.AddSeconds(10)), new Empty());
            await foreach (var _ in call.ResponseStream.ReadAllAsync())
                return StatusCode.OK;
            return StatusCode.OK;
        }
        catch (RpcException ex)
        {
            return ex.StatusCode;
        }
    }

    private static Method<Empty, Empty> AnyRpc(string path)
    {
        var slash = path.LastIndexOf('/');
        var marshaller = Marshallers.Create(m => m.ToByteArray(), Empty.Parser.ParseFrom);
        return new Method<Empty, Empty>(MethodType.ServerStreaming, path[1..slash], path[(slash + 1)..], marshaller, marshaller);
    }
}
