using Genie.Contracts.Retrieval.V1;

namespace Genie.Web.Knowledge;

/// <summary>A folder source as typed in the form: globs one per line.</summary>
public sealed class FolderForm
{
    public string Name { get; set; } = "";
    public string Path { get; set; } = "";
    public string? Include { get; set; }
    public string? Exclude { get; set; }
    public int SyncIntervalMinutes { get; set; }

    public SourceConfig ToConfig()
    {
        // an emptied field binds as null, whatever the initializer says
        var folder = new FolderSourceConfig { Path = (Path ?? "").Trim() };
        folder.Include.AddRange(FormLines.Lines(Include));
        folder.Exclude.AddRange(FormLines.Lines(Exclude));
        return new SourceConfig { Folder = folder };
    }
}

/// <summary>An MCP source as typed in the form. Secrets are write-only: never rendered back.</summary>
public sealed class McpForm
{
    public string Name { get; set; } = "";
    public string Transport { get; set; } = "command";
    public string? Command { get; set; }
    public string? Args { get; set; }
    public string? Url { get; set; }
    public string? Env { get; set; }
    public string? Secrets { get; set; }
    public string? ListTool { get; set; }
    public string? ListArgumentsJson { get; set; }
    public string? ReadTool { get; set; }
    public string? ReadArgument { get; set; }
    public int SyncIntervalMinutes { get; set; }

    /// <summary>The config, or the problem with the form (field, message).</summary>
    public (SourceConfig? Config, string? Field, string? Problem) ToConfig()
    {
        var mcp = new McpSourceConfig
        {
            ListTool = (ListTool ?? "").Trim(),
            ListArgumentsJson = (ListArgumentsJson ?? "").Trim(),
            ReadTool = (ReadTool ?? "").Trim(),
            ReadArgument = (ReadArgument ?? "").Trim(),
        };
        if (Transport == "url")
        {
            if (!Uri.TryCreate((Url ?? "").Trim(), UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
                return (null, "Mcp.Url", "Enter the server's http(s) URL.");
            mcp.Url = url.ToString();
        }
        else
        {
            if (string.IsNullOrWhiteSpace(Command))
                return (null, "Mcp.Command", "Enter the command that starts the server, e.g. npx.");
            mcp.Command = Command.Trim();
            mcp.Args.AddRange(FormLines.Lines(Args));
        }
        foreach (var (field, text, target) in new[] { ("Mcp.Env", Env, mcp.Env), ("Mcp.Secrets", Secrets, mcp.Secrets) })
        {
            var number = 0;
            foreach (var line in FormLines.Lines(text))
            {
                number++;
                var eq = line.IndexOf('=');
                if (eq <= 0) // a secret line is never echoed, not even in the error
                    return (null, field, field == "Mcp.Secrets" ? $"Line {number} is not NAME=value." : $"\"{line}\" is not NAME=value.");
                target[line[..eq].Trim()] = line[(eq + 1)..];
            }
        }
        return (new SourceConfig { Mcp = mcp }, null, null);
    }
}

public static class FormLines
{
    public static IEnumerable<string> Lines(string? text) =>
        (text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
