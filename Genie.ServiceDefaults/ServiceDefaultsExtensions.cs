using System.Net;
using System.Reflection;
using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Health;
using Genie.ServiceDefaults.Hosting;
using Genie.ServiceDefaults.Limits;
using Genie.ServiceDefaults.Rpc;
using Genie.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Genie.ServiceDefaults;

/// <summary>What every Genie service shares, composed in one call each from Program.cs.</summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>
    /// Telemetry, health, the two Kestrel endpoints (grpc: HTTP/2, http: HTTP/1.1), token
    /// validation, the limits (<c>Genie:Limits</c>, applied by <c>UseGenieLimits</c>) and the gRPC server
    /// with the standard health service.
    /// </summary>
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder, string serviceName)
    {
        var identity = ServiceIdentity.For(serviceName, Assembly.GetEntryAssembly() ?? typeof(ServiceDefaultsExtensions).Assembly);
        builder.Services.AddSingleton(identity);
        builder.Services.AddSingleton<ServiceInfoProvider>();
        builder.Services.AddSingleton(TimeProvider.System);

        builder.AddGenieTelemetry(serviceName);
        ConfigureEndpoints(builder);

        var auth = AuthOptions.FromConfiguration(builder.Configuration);
        builder.Services.AddSingleton(auth);
        builder.AddGenieAuthentication(auth);
        builder.AddGenieGrpcServer();
        builder.AddGenieLimits();
        builder.Services.AddSingleton(sp => new TokenService(sp.GetRequiredService<AuthOptions>(), sp.GetRequiredService<TimeProvider>()));

        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), [HealthTags.Live]);
        return builder;
    }

    /// <summary>gRPC on the HTTP/2 endpoint; <c>/health</c> (ready) and <c>/alive</c> on the HTTP/1.1 one.</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapGenieGrpcServices();
        app.MapHealthChecks("/health", new HealthCheckOptions { Predicate = c => c.Tags.Contains(HealthTags.Ready) || c.Tags.Contains(HealthTags.Live) });
        app.MapHealthChecks("/alive", new HealthCheckOptions { Predicate = c => c.Tags.Contains(HealthTags.Live) });
        return app;
    }

    /// <summary>
    /// Endpoints come from <c>Kestrel:Endpoints:{grpc,http}</c> (what the AppHost sets); a service
    /// started alone listens on free loopback ports and logs them.
    /// </summary>
    private static void ConfigureEndpoints(WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.Http2.MaxStreamsPerConnection = 1000;
            kestrel.Limits.Http2.InitialConnectionWindowSize = 4 * 1024 * 1024;
            kestrel.Limits.Http2.InitialStreamWindowSize = 2 * 1024 * 1024;
            kestrel.Limits.MaxRequestBodySize = null; // gRPC enforces its own message limits.
            if (!builder.Configuration.GetSection("Kestrel:Endpoints").GetChildren().Any())
            {
                kestrel.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2);
                kestrel.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http1);
            }
        });
    }
}
