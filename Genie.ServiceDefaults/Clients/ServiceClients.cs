using System.Reflection;
using Grpc.Core;
using Grpc.Net.Client.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Google.Protobuf.Reflection;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace Genie.ServiceDefaults.Clients;

public static class ServiceClients
{
    /// <summary>Unary calls that name no deadline get this one.</summary>
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Registers the generated client <typeparamref name="TClient"/> for the service Aspire names
    /// <paramref name="serviceName"/>. The address <c>http://_grpc.{name}</c> is resolved by service
    /// discovery from <c>services__{name}__grpc__N</c> (the HTTP/2-only endpoint); with several N each
    /// call picks the next endpoint. Calls get a default deadline, the caller's forwarded token, and
    /// gRPC's own retry on UNAVAILABLE for the rpcs the proto marks idempotent. No HTTP resilience
    /// handler: deadlines and gRPC retries govern these calls and streams must not be cut short.
    /// </summary>
    public static IHttpClientBuilder AddServiceClient<TClient>(this IServiceCollection services, string serviceName, TimeSpan? defaultDeadline = null)
        where TClient : ClientBase
    {
        services.AddServiceDiscovery();
        services.AddHttpContextAccessor();
        var descriptor = DescriptorOf(typeof(TClient));
        return services
            .AddGrpcClient<TClient>(o => o.Address = new Uri($"http://_grpc.{serviceName}"))
            .ConfigureChannel(channel => channel.ServiceConfig = ServiceConfigFor(descriptor))
            .AddInterceptor(sp => new CallDefaultsInterceptor(defaultDeadline ?? DefaultDeadline, sp.GetService<IHttpContextAccessor>()))
            .AddServiceDiscovery();
    }

    /// <summary>
    /// Retries (up to 4 attempts, backing off from 100 ms) on UNAVAILABLE for every rpc declared
    /// <c>option idempotency_level = IDEMPOTENT</c> or <c>NO_SIDE_EFFECTS</c>; other rpcs run once.
    /// </summary>
    public static ServiceConfig ServiceConfigFor(ServiceDescriptor service)
    {
        var retried = new MethodConfig
        {
            RetryPolicy = new RetryPolicy
            {
                MaxAttempts = 4,
                InitialBackoff = TimeSpan.FromMilliseconds(100),
                MaxBackoff = TimeSpan.FromSeconds(2),
                BackoffMultiplier = 2,
                RetryableStatusCodes = { StatusCode.Unavailable },
            },
        };
        foreach (var method in service.Methods.Where(IsIdempotent))
            retried.Names.Add(new MethodName { Service = service.FullName, Method = method.Name });
        var config = new ServiceConfig();
        if (retried.Names.Count > 0)
            config.MethodConfigs.Add(retried);
        return config;
    }

    public static bool IsIdempotent(MethodDescriptor method) =>
        !method.IsClientStreaming && method.GetOptions()?.IdempotencyLevel is MethodOptions.Types.IdempotencyLevel.Idempotent
            or MethodOptions.Types.IdempotencyLevel.NoSideEffects;

    private static ServiceDescriptor DescriptorOf(Type client) =>
        client.DeclaringType?.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as ServiceDescriptor
            ?? throw new InvalidOperationException($"{client.Name} is not a generated gRPC client.");
}
