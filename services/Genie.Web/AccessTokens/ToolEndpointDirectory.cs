using Genie.Contracts.Portal.V1;
using Genie.Web.Backends;

namespace Genie.Web.AccessTokens;

/// <summary>
/// The gRPC addresses handed to tools with their token (the genie CLI dials Agent, Retrieval and LmsBridge
/// directly; Web is no pass-through). <c>Genie:Tools:Endpoints:{name}</c> names the address tools outside the
/// cluster should use; without it the tool gets the address Web itself calls (<c>services:{name}:grpc:0</c>).
/// The MCP address is Web's own: <c>Genie:Web:PublicUrl</c>, else its HTTP endpoint, + <c>/mcp</c>.
/// </summary>
public sealed class ToolEndpointDirectory(IConfiguration configuration)
{
    public const string Section = "Genie:Tools:Endpoints";

    public ToolEndpoints Current() => new()
    {
        Agent = AddressOf(BackendServices.Agent),
        Retrieval = AddressOf(BackendServices.Retrieval),
        LmsBridge = AddressOf(BackendServices.LmsBridge),
        Mcp = McpAddress(),
    };

    // The portal's public URL when one is set, else the HTTP endpoint Web listens on.
    private string McpAddress() =>
        (configuration["Genie:Web:PublicUrl"] is { Length: > 0 } publicUrl ? publicUrl : configuration["Kestrel:Endpoints:http:Url"]) is { Length: > 0 } baseUrl
            ? baseUrl.TrimEnd('/') + Mcp.McpEndpoint.Path
            : "";

    private string AddressOf(string service) =>
        configuration[$"{Section}:{service}"] is { Length: > 0 } published ? published : configuration[$"services:{service}:grpc:0"] ?? "";
}
