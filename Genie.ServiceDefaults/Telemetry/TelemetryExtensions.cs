using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Genie.ServiceDefaults.Telemetry;

/// <summary>
/// OpenTelemetry logs, metrics and traces through OpenTelemetry.Extensions.Hosting, as an Aspire ServiceDefaults
/// project sets them up: ASP.NET Core, HttpClient, gRPC client and runtime instrumentation, the services' own
/// sources and meters (<c>Genie.*</c>) and Microsoft.Extensions.AI's gen_ai spans and metrics. Npgsql's come with
/// Aspire.Npgsql (<see cref="Database.DatabaseExtensions"/>). Exported over OTLP only when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.
/// </summary>
public static class TelemetryExtensions
{
    /// <summary>The activity source and meter of M.E.AI's <c>UseOpenTelemetry()</c> (the gen_ai.* conventions).</summary>
    public const string GenAiSource = "Experimental.Microsoft.Extensions.AI";

    public static readonly string[] Sources = ["Genie.*", GenAiSource];

    public static IHostApplicationBuilder AddGenieTelemetry(this IHostApplicationBuilder builder, string serviceName)
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(
                builder.Configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } configured ? configured : serviceName,
                serviceInstanceId: $"{Environment.MachineName}:{Environment.ProcessId}"))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(Sources))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(aspNetCore =>
                    // Health probes every few seconds would drown the traces that matter.
                    aspNetCore.Filter = context => !context.Request.Path.StartsWithSegments("/health") && !context.Request.Path.StartsWithSegments("/alive"))
                .AddGrpcClientInstrumentation()
                .AddHttpClientInstrumentation()
                .AddSource(Sources));

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        return builder;
    }
}
