using System.Reflection;
using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Health;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace Genie.ServiceDefaults.Rpc;

/// <summary>One gRPC service this process serves; mapped by <c>MapDefaultEndpoints</c>.</summary>
public sealed class GrpcServiceRegistration(ServiceDescriptor descriptor, Type implementation, Action<IEndpointRouteBuilder> map)
{
    public ServiceDescriptor Descriptor { get; } = descriptor;

    public Type Implementation { get; } = implementation;

    internal Action<IEndpointRouteBuilder> Map { get; } = map;
}

public static class GrpcServerDefaults
{
    /// <summary>gRPC's default receive limit (4 MiB), unless <c>Genie:Grpc:MaxReceiveMessageSize</c> says otherwise.</summary>
    public const int DefaultMaxReceiveMessageSize = 4 * 1024 * 1024;

    /// <summary>
    /// Grpc.AspNetCore with the unhandled-exception and request-text interceptors, server reflection and the
    /// grpc.health.v1 service fed by the "ready" health checks.
    /// </summary>
    internal static void AddGenieGrpcServer(this WebApplicationBuilder builder)
    {
        builder.Services.AddGrpc(options =>
        {
            options.Interceptors.Add<UnhandledExceptionInterceptor>();
            options.Interceptors.Add<RequestTextInterceptor>();
            options.MaxReceiveMessageSize = builder.Configuration.GetValue<int?>("Genie:Grpc:MaxReceiveMessageSize") ?? DefaultMaxReceiveMessageSize;
        });
        builder.Services.AddGrpcReflection();
        builder.Services.AddGrpcHealth();
    }

    /// <summary>
    /// Serves <typeparamref name="TService"/> (derived from a generated <c>*Base</c>) on the grpc
    /// endpoint, authenticated, and answers grpc.health.v1 by its full name.
    /// <paramref name="maxReceiveMessageSize"/> overrides the request limit for this service only.
    /// </summary>
    public static IServiceCollection AddGrpcService<TService>(this IServiceCollection services, int? maxReceiveMessageSize = null)
        where TService : class
    {
        var descriptor = DescriptorOf(typeof(TService));
        if (maxReceiveMessageSize is { } max)
            services.AddGrpc().AddServiceOptions<TService>(o => o.MaxReceiveMessageSize = max);
        services.AddGrpcHealthFor(descriptor.FullName);
        services.AddSingleton(new GrpcServiceRegistration(descriptor, typeof(TService),
            endpoints => endpoints.MapGrpcService<TService>().RequireAuthorization(GenieAuthentication.GrpcPolicy)));
        return services;
    }

    internal static void MapGenieGrpcServices(this WebApplication app)
    {
        foreach (var registration in app.Services.GetServices<GrpcServiceRegistration>())
            registration.Map(app);
        // Reflection shows only the schema (the .proto files are public in the repository), yet it
        // is authenticated like any other rpc: nothing but health answers an anonymous caller.
        app.MapGrpcReflectionService().RequireAuthorization(GenieAuthentication.GrpcPolicy);
        app.MapGrpcHealth();
    }

    /// <summary>The proto service a class serves: the generated base's declaring class carries its descriptor.</summary>
    public static ServiceDescriptor DescriptorOf(Type implementation)
    {
        for (var type = implementation.BaseType; type is not null; type = type.BaseType)
        {
            if (type.GetCustomAttribute<BindServiceMethodAttribute>() is not null
                && type.DeclaringType?.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) is ServiceDescriptor descriptor)
                return descriptor;
        }
        throw new InvalidOperationException($"{implementation.Name} does not derive from a generated gRPC service base class.");
    }
}
