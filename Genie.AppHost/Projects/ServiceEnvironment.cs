namespace Genie.AppHost.Projects;

/// <summary>
/// The environment of a service process, in Aspire's conventions: what its references contribute
/// (<c>ConnectionStrings__genie</c>, <c>services__agent__grpc__0</c> …) plus its own endpoints.
/// Inherited variables that would point it elsewhere are removed first.
/// </summary>
internal static class ServiceEnvironment
{
    private static readonly string[] InheritedPrefixesToDrop =
        ["services__", "ConnectionStrings__", "Kestrel__", "ASPNETCORE_URLS", "DOTNET_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "OTEL_SERVICE_NAME", "OTEL_RESOURCE_ATTRIBUTES"];

    public static void Apply(IDictionary<string, string?> target, IReadOnlyDictionary<string, string> fromReferences, ProjectInstance instance)
    {
        foreach (var key in target.Keys.Where(k => InheritedPrefixesToDrop.Any(p => k.StartsWith(p, StringComparison.OrdinalIgnoreCase))).ToList())
            target.Remove(key);
        // Like `dotnet run` with the usual launch profile: static web assets are served from the build output.
        if (!target.ContainsKey("ASPNETCORE_ENVIRONMENT") && !target.ContainsKey("DOTNET_ENVIRONMENT"))
            target["ASPNETCORE_ENVIRONMENT"] = "Development";
        foreach (var (key, value) in fromReferences)
            target[key] = value;
        foreach (var (key, value) in ForInstance(instance))
            target[key] = value;
    }

    public static IEnumerable<KeyValuePair<string, string>> ForInstance(ProjectInstance instance)
    {
        yield return new("Kestrel__Endpoints__grpc__Url", instance.GrpcEndpoint.ToString().TrimEnd('/'));
        yield return new("Kestrel__Endpoints__grpc__Protocols", "Http2");
        yield return new("Kestrel__Endpoints__http__Url", instance.HttpEndpoint.ToString().TrimEnd('/'));
        yield return new("Kestrel__Endpoints__http__Protocols", "Http1");
        yield return new("OTEL_SERVICE_NAME", instance.ServiceName);
        yield return new("OTEL_RESOURCE_ATTRIBUTES", $"service.instance.id={instance.Name}");
    }
}
