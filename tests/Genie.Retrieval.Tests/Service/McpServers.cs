namespace Genie.Retrieval.Tests.Service;

/// <summary>Real MCP servers installed in tests/node by scripts/install-deps.sh.</summary>
public static class McpServers
{
    /// <summary>The entry script of <c>@modelcontextprotocol/server-filesystem</c> (run with <c>node</c>, stdio).</summary>
    public static string FilesystemScript()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Genie.sln")))
            dir = dir.Parent;
        var script = Path.Combine(dir?.FullName ?? "", "tests/node/node_modules/@modelcontextprotocol/server-filesystem/dist/index.js");
        Assert.True(File.Exists(script), $"{script} is missing: run scripts/install-deps.sh (npm ci in tests/node)");
        return script;
    }
}
