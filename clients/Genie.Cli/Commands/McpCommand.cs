using System.CommandLine;
using Genie.Cli.Config;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Genie.Cli.Commands;

/// <summary>
/// <c>genie mcp</c>: Genie's MCP server over stdio, for assistants that launch a command. The tools live in one
/// place, Web's <c>/mcp</c>; this command lists and calls them there with the stored personal access token.
/// </summary>
public static class McpCommand
{
    public static Command Create(CommandContext context)
    {
        var url = new Option<string?>("--url") { Description = "Genie's MCP address (Streamable HTTP). Default: the one the portal gave at login." };
        var command = new Command("mcp", "Serve Genie's tools (search_docs, ask_genie, get_document, my_learning_progress) to a coding assistant over stdio.") { url };
        command.SetAction(async (parse, ct) =>
        {
            var config = CliConfig.Load(context.Environment.ConfigDirectory);
            if (!config.IsSignedIn)
                throw new CliException("not logged in; run 'genie login --url <Genie's gRPC address>' first");
            var address = parse.GetValue(url) ?? (config.McpUrl.Length > 0 ? config.McpUrl : null)
                ?? throw new CliException("the portal did not say where its MCP server is; pass --url http://<portal>/mcp");
            if (!Uri.TryCreate(address, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https"))
                throw new CliException($"'{address}' is not an http:// or https:// address");

            var transport = new HttpClientTransport(new HttpClientTransportOptions
            {
                Endpoint = endpoint,
                TransportMode = HttpTransportMode.StreamableHttp,
                AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + config.PersonalAccessToken },
            });
            McpClient remote;
            try
            {
                remote = await McpClient.CreateAsync(transport, cancellationToken: ct);
            }
            catch (HttpRequestException e) when (e.StatusCode == System.Net.HttpStatusCode.Unauthorized)
            {
                throw new CliException("Genie's MCP server refused the stored personal access token (revoked?); create a new one and run 'genie login'");
            }
            await using (remote)
            {
                var options = new McpServerOptions
                {
                    ServerInfo = new Implementation { Name = "genie", Version = typeof(McpCommand).Assembly.GetName().Version?.ToString() ?? "1.0" },
                    ServerInstructions = remote.ServerInstructions,
                    Handlers = new McpServerHandlers
                    {
                        ListToolsHandler = (request, cancel) => remote.ListToolsAsync(request.Params ?? new ListToolsRequestParams(), cancel),
                        CallToolHandler = (request, cancel) => remote.CallToolAsync(request.Params!, cancel),
                    },
                };
                await using var server = McpServer.Create(new StdioServerTransport(options), options);
                await server.RunAsync(ct);
            }
            return 0;
        });
        return command;
    }
}
