namespace Genie.AppHost.Services;

public static class GenieServiceExtensions
{
    public const string GrpcEndpoint = "grpc";
    public const string HttpEndpoint = "http";

    /// <summary>
    /// A Genie service: a <c>grpc</c> endpoint (HTTP/2) and an <c>http</c> endpoint (HTTP/1.1: health,
    /// pages), each handed to Kestrel from the port DCP allocates for the replica (its proxy in front
    /// spreads connections over replicas); healthy when <c>/health</c> answers 200 (database reachable,
    /// migrated). <paramref name="httpPort"/> fixes the port users reach the http endpoint on.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AsGenieService(this IResourceBuilder<ProjectResource> project, int? httpPort = null)
    {
        project.WithHttpEndpoint(name: GrpcEndpoint)
            .WithEndpoint(GrpcEndpoint, endpoint => endpoint.Transport = "http2")
            .WithHttpEndpoint(port: httpPort, name: HttpEndpoint);
        var grpc = project.GetEndpoint(GrpcEndpoint);
        var http = project.GetEndpoint(HttpEndpoint);
        return project
            .WithEnvironment(context =>
            {
                context.EnvironmentVariables["Kestrel__Endpoints__grpc__Url"] = ReferenceExpression.Create($"http://localhost:{grpc.Property(EndpointProperty.TargetPort)}");
                context.EnvironmentVariables["Kestrel__Endpoints__grpc__Protocols"] = "Http2";
                context.EnvironmentVariables["Kestrel__Endpoints__http__Url"] = ReferenceExpression.Create($"http://localhost:{http.Property(EndpointProperty.TargetPort)}");
                context.EnvironmentVariables["Kestrel__Endpoints__http__Protocols"] = "Http1";
                // Like `dotnet run` with the usual launch profile: static web assets are served from the build output.
                context.EnvironmentVariables["ASPNETCORE_ENVIRONMENT"] = "Development";
            })
            .WithHttpHealthCheck("/health", endpointName: HttpEndpoint);
    }
}
