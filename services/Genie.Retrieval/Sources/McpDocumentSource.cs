using System.Text;
using System.Text.Json;
using Genie.Contracts.Retrieval.V1;
using Genie.Retrieval.Parsing;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Genie.Retrieval.Sources;

/// <summary>
/// Documents discovered and read through any MCP server (stdio command or Streamable HTTP URL).
/// Resources (<c>resources/list</c> + <c>resources/read</c>) are used when the server offers them;
/// otherwise the configured list tool names the documents (one per line, or a JSON array) and the
/// read tool returns each one's text. Secrets become environment variables (stdio) or headers (HTTP).
/// </summary>
public sealed class McpDocumentSource : IDocumentSource
{
    private readonly McpClient _client;
    private readonly McpSourceConfig _config;
    private readonly bool _useResources;

    private McpDocumentSource(McpClient client, McpSourceConfig config)
    {
        _client = client;
        _config = config;
        _useResources = client.ServerCapabilities.Resources is not null && (!config.PreferTools || string.IsNullOrEmpty(config.ListTool));
    }

    public static async Task<McpDocumentSource> ConnectAsync(McpSourceConfig config, IReadOnlyDictionary<string, string> secrets, CancellationToken cancellationToken)
    {
        IClientTransport transport;
        if (!string.IsNullOrWhiteSpace(config.Url))
        {
            transport = new HttpClientTransport(new HttpClientTransportOptions
            {
                Endpoint = new Uri(config.Url),
                Name = "genie-retrieval-source",
                AdditionalHeaders = secrets.ToDictionary(),
            });
        }
        else
        {
            var environment = new Dictionary<string, string?>();
            foreach (var (name, value) in config.Env)
                environment[name] = value;
            foreach (var (name, value) in secrets)
                environment[name] = value;
            transport = new StdioClientTransport(new StdioClientTransportOptions
            {
                Name = "genie-retrieval-source",
                Command = config.Command,
                Arguments = config.Args.ToList(),
                EnvironmentVariables = environment,
                ShutdownTimeout = TimeSpan.FromSeconds(3),
            });
        }
        try
        {
            var client = await McpClient.CreateAsync(transport, new McpClientOptions
            {
                ClientInfo = new Implementation { Name = "genie-retrieval", Version = "1.0.0" },
                DiscoverProbeTimeout = TimeSpan.FromSeconds(3),
                InitializationTimeout = TimeSpan.FromSeconds(30),
            }, cancellationToken: cancellationToken);
            return new McpDocumentSource(client, config);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var where = string.IsNullOrWhiteSpace(config.Url) ? $"command '{config.Command}'" : $"URL {config.Url}";
            throw new SourceUnavailableException($"cannot connect to the MCP server ({where}): {e.Message}", e);
        }
    }

    public async Task<IReadOnlyList<SourceItem>> DiscoverAsync(CancellationToken cancellationToken)
    {
        if (_useResources)
        {
            var resources = await _client.ListResourcesAsync(cancellationToken: cancellationToken);
            return resources
                .Select(r => new SourceItem(r.Uri, r.Title ?? r.Name, DocumentFormats.Resolve(r.MimeType, r.Name) ?? DocumentFormats.Resolve(r.MimeType, r.Uri)))
                .DistinctBy(i => i.Uri)
                .ToList();
        }
        if (string.IsNullOrWhiteSpace(_config.ListTool))
            throw new SourceUnavailableException("the MCP server offers no resources and the source names no list tool (config.mcp.list_tool)");
        var arguments = ParseArguments(_config.ListArgumentsJson);
        var result = await CallToolAsync(_config.ListTool, arguments, cancellationToken);
        return ItemNames(ToolText(result))
            .Select(name => new SourceItem(name, Path.GetFileName(name.TrimEnd('/')) is { Length: > 0 } file ? file : name, DocumentFormats.FromFileName(name)))
            .DistinctBy(i => i.Uri)
            .ToList();
    }

    public async Task<SourceContent> ReadAsync(SourceItem item, CancellationToken cancellationToken)
    {
        if (_useResources)
        {
            var read = await _client.ReadResourceAsync(item.Uri, cancellationToken: cancellationToken);
            var bytes = new List<byte>();
            string? mime = null;
            foreach (var content in read.Contents)
            {
                mime ??= content.MimeType;
                switch (content)
                {
                    case TextResourceContents text:
                        if (bytes.Count > 0)
                            bytes.AddRange("\n\n"u8.ToArray());
                        bytes.AddRange(Encoding.UTF8.GetBytes(text.Text));
                        break;
                    case BlobResourceContents blob:
                        bytes.AddRange(blob.DecodedData.ToArray());
                        break;
                }
            }
            return new SourceContent(bytes.ToArray(), item.ContentType ?? DocumentFormats.Resolve(mime, item.Uri));
        }
        if (string.IsNullOrWhiteSpace(_config.ReadTool))
            throw new SourceUnavailableException("the source names no read tool (config.mcp.read_tool)");
        var argument = string.IsNullOrWhiteSpace(_config.ReadArgument) ? "path" : _config.ReadArgument;
        var result = await CallToolAsync(_config.ReadTool, new Dictionary<string, object?> { [argument] = item.Uri }, cancellationToken);
        return new SourceContent(Encoding.UTF8.GetBytes(ToolText(result)), item.ContentType);
    }

    private async Task<CallToolResult> CallToolAsync(string tool, IReadOnlyDictionary<string, object?> arguments, CancellationToken cancellationToken)
    {
        CallToolResult result;
        try
        {
            result = await _client.CallToolAsync(tool, arguments, cancellationToken: cancellationToken);
        }
        catch (McpException e)
        {
            throw new SourceUnavailableException($"MCP tool '{tool}' failed: {e.Message}", e);
        }
        if (result.IsError == true)
            throw new InvalidOperationException($"MCP tool '{tool}' reported an error: {ToolText(result)}");
        return result;
    }

    private static string ToolText(CallToolResult result) =>
        string.Join("\n", result.Content.Select(block => block switch
        {
            TextContentBlock text => text.Text,
            EmbeddedResourceBlock { Resource: TextResourceContents resource } => resource.Text,
            _ => "",
        }).Where(t => t.Length > 0));

    /// <summary>A JSON array (of strings, or objects with uri/path/id) or one name per line.</summary>
    internal static IEnumerable<string> ItemNames(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.StartsWith('['))
        {
            try
            {
                using var json = JsonDocument.Parse(trimmed);
                return json.RootElement.EnumerateArray().Select(e => e.ValueKind switch
                {
                    JsonValueKind.String => e.GetString() ?? "",
                    JsonValueKind.Object => FirstString(e, "uri", "path", "id", "url") ?? "",
                    _ => "",
                }).Where(n => n.Length > 0).ToList();
            }
            catch (JsonException)
            {
            }
        }
        return trimmed.Split('\n')
            .Select(line => line.Trim())
            .Select(line => line.StartsWith("[FILE] ") ? line["[FILE] ".Length..] : line)
            .Where(line => line.Length > 0 && !line.StartsWith("[DIR]") && !line.Equals("No matches found", StringComparison.OrdinalIgnoreCase))
            .ToList();
    }

    private static string? FirstString(JsonElement element, params string[] names)
    {
        foreach (var name in names)
            if (element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
                return value.GetString();
        return null;
    }

    internal static Dictionary<string, object?> ParseArguments(string json)
    {
        if (string.IsNullOrWhiteSpace(json))
            return [];
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
            throw new SourceUnavailableException("config.mcp.list_arguments_json must be a JSON object");
        return document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone());
    }

    public async ValueTask DisposeAsync() => await _client.DisposeAsync();
}
