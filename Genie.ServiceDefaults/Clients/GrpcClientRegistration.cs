using Genie.ServiceDefaults.Grpc.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Genie.ServiceDefaults.Clients;

public static class GrpcClientRegistration
{
    /// <summary>
    /// Registers a typed client for the service named <paramref name="serviceName"/>, whose endpoints come
    /// from <c>services__{serviceName}__grpc__N</c> (round-robin over N).
    /// </summary>
    public static IServiceCollection AddTypedGrpcClient<TClient>(this IServiceCollection services, string serviceName)
        where TClient : GrpcClientBase
    {
        services.AddKeyedSingleton(serviceName, (sp, _) =>
            GrpcChannel.FromConfiguration(sp.GetRequiredService<IConfiguration>(), serviceName));
        services.AddSingleton(sp =>
            (TClient)Activator.CreateInstance(typeof(TClient), sp.GetRequiredKeyedService<GrpcChannel>(serviceName))!);
        return services;
    }
}
