using Google.Protobuf.Reflection;
using Genie.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Genie.ServiceDefaults.Grpc.Server;

/// <summary>A proto service bound to its handler class.</summary>
public sealed class GrpcServiceRegistration
{
    internal GrpcServiceRegistration(ServiceDescriptor service, IReadOnlyList<GrpcMethodBinding> methods)
    {
        Service = service;
        Methods = methods;
    }

    public ServiceDescriptor Service { get; }

    internal IReadOnlyList<GrpcMethodBinding> Methods { get; }
}

public static class GrpcServerExtensions
{
    /// <summary>
    /// Serves every rpc of <paramref name="service"/> with <typeparamref name="THandler"/> (a scoped service).
    /// Throws at once when an rpc has no handler method.
    /// </summary>
    public static IServiceCollection AddGrpcService<THandler>(this IServiceCollection services, ServiceDescriptor service)
        where THandler : class
    {
        var bindings = GrpcMethodBinding.Bind<THandler>(service);
        services.TryAddScoped<THandler>();
        services.AddSingleton(new GrpcServiceRegistration(service, bindings));
        return services;
    }

    public static IServiceCollection AddGrpcServer(this IServiceCollection services, Action<GrpcServerOptions>? configure = null)
    {
        var options = new GrpcServerOptions();
        configure?.Invoke(options);
        services.TryAddSingleton(options);
        services.TryAddSingleton(sp => new GrpcDispatcher(
            sp.GetServices<GrpcServiceRegistration>().SelectMany(r => r.Methods),
            sp.GetRequiredService<GrpcServerOptions>(),
            sp.GetRequiredService<TokenService>(),
            sp.GetRequiredService<ILogger<GrpcDispatcher>>()));
        return services;
    }

    /// <summary>
    /// Answers every HTTP/2 request as a gRPC call. The gRPC endpoint speaks HTTP/2 only and the
    /// http endpoint HTTP/1.1 only, so the protocol tells the two apart.
    /// </summary>
    public static IApplicationBuilder UseGrpcEndpoint(this IApplicationBuilder app)
    {
        var dispatcher = app.ApplicationServices.GetRequiredService<GrpcDispatcher>();
        return app.Use(next => http =>
            HttpProtocol.IsHttp2(http.Request.Protocol) ? dispatcher.HandleAsync(http) : next(http));
    }
}
