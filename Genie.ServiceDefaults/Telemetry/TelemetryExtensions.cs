using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Genie.ServiceDefaults.Telemetry;

/// <summary>
/// OpenTelemetry traces, metrics and logs. ASP.NET Core, HttpClient and Npgsql emit activities and
/// meters natively, so listening to their sources replaces the instrumentation packages we lack.
/// Exports over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set.
/// </summary>
public static class TelemetryExtensions
{
    public static readonly string[] ActivitySources = ["Microsoft.AspNetCore", "System.Net.Http", "Npgsql", "Genie.*"];
    public static readonly string[] Meters =
        ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http", "Npgsql", "Genie.*"];

    public static IHostApplicationBuilder AddGenieTelemetry(this IHostApplicationBuilder builder, string serviceName)
    {
        var otlpEndpoint = builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        var exportOtlp = !string.IsNullOrWhiteSpace(otlpEndpoint);
        var resource = ResourceBuilder.CreateDefault().AddService(
            builder.Configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } configured ? configured : serviceName,
            serviceInstanceId: $"{Environment.MachineName}:{Environment.ProcessId}");

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.SetResourceBuilder(resource);
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
            if (exportOtlp)
                logging.AddOtlpExporter();
        });

        var tracing = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .AddSource(ActivitySources);
        var metrics = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter(Meters);
        if (exportOtlp)
        {
            tracing.AddOtlpExporter();
            metrics.AddOtlpExporter();
        }
        builder.Services.AddSingleton(new TelemetryProviders(tracing.Build(), metrics.Build()));
        builder.Services.AddHostedService<TelemetryFlusher>();
        // W3C trace context everywhere (HttpClient injects it, ASP.NET Core extracts it).
        Activity.DefaultIdFormat = ActivityIdFormat.W3C;
        Activity.ForceDefaultIdFormat = true;
        return builder;
    }
}

/// <summary>Owns the tracer and meter providers so they are flushed and disposed with the host.</summary>
public sealed class TelemetryProviders(TracerProvider? tracer, MeterProvider? meter) : IDisposable
{
    public TracerProvider? Tracer { get; } = tracer;

    public MeterProvider? Meter { get; } = meter;

    public void Dispose()
    {
        Tracer?.Dispose();
        Meter?.Dispose();
    }
}

internal sealed class TelemetryFlusher(TelemetryProviders providers) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken)
    {
        providers.Tracer?.ForceFlush(2000);
        providers.Meter?.ForceFlush(2000);
        return Task.CompletedTask;
    }
}
