using System.Diagnostics;
using System.Text.Json;
using Genie.Testing;

namespace Genie.Cli.Tests;

/// <summary>The official MCP TypeScript SDK client (tests/node/mcp/genie-client.mjs), run with node.</summary>
public static class NodeMcpClient
{
    public sealed record Tool(string Name, string Description, JsonElement InputSchema);

    public sealed record Result(string Name, bool IsError, string Text);

    public sealed record Session(string? ConnectError, IReadOnlyList<Tool> Tools, IReadOnlyList<Result> Results);

    public static Task<Session> OverHttpAsync(Uri mcp, string? token, params (string Name, object Arguments)[] calls) =>
        RunAsync(new Dictionary<string, object?> { ["transport"] = "http", ["url"] = mcp.ToString(), ["token"] = token, ["calls"] = Calls(calls) });

    /// <summary>Launches <c>genie mcp</c> (this build's genie.dll) as a stdio server with the given config directory.</summary>
    public static Task<Session> OverStdioAsync(string configDirectory, params (string Name, object Arguments)[] calls) =>
        RunAsync(new Dictionary<string, object?>
        {
            ["transport"] = "stdio",
            ["command"] = "dotnet",
            ["args"] = new[] { GenieDll, "mcp" },
            ["env"] = new Dictionary<string, string> { ["GENIE_CONFIG_DIR"] = configDirectory, ["DOTNET_NOLOGO"] = "1" },
            ["calls"] = Calls(calls),
        });

    /// <summary>
    /// genie.dll in the CLI's own build output (same configuration and framework as these tests): the copy beside the
    /// tests runs on their ASP.NET Core framework reference, not on the tool's own dependencies.
    /// </summary>
    private static string GenieDll
    {
        get
        {
            var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var path = Path.Combine(RepoPaths.Root, "clients", "Genie.Cli", "bin", framework.Parent!.Name, framework.Name, "genie.dll");
            return File.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing: build clients/Genie.Cli");
        }
    }

    private static object[] Calls((string Name, object Arguments)[] calls) => calls.Select(c => (object)new { name = c.Name, arguments = c.Arguments }).ToArray();

    private static async Task<Session> RunAsync(Dictionary<string, object?> spec)
    {
        if (spec["transport"] as string == "http" && spec["token"] is null)
            spec.Remove("token");
        _ = RepoPaths.NodeModules;
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = RepoPaths.NodeProject,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(RepoPaths.NodeProject, "mcp", "genie-client.mjs"));
        start.ArgumentList.Add(JsonSerializer.Serialize(spec));
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"genie-client.mjs did not finish in 3 minutes. stderr: {await stderr}");
        }
        var output = await stdout;
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"genie-client.mjs exited with {process.ExitCode}. stderr: {await stderr}\nstdout: {output}");
        var root = JsonDocument.Parse(output.Trim().Split('\n')[^1]).RootElement.Clone();
        if (root.TryGetProperty("connectError", out var error))
            return new Session(error.GetString() + " " + (root.TryGetProperty("stderr", out var e) ? e.GetString() : ""), [], []);
        return new Session(
            null,
            root.GetProperty("tools").EnumerateArray().Select(t => new Tool(t.GetProperty("name").GetString()!, t.GetProperty("description").GetString()!, t.GetProperty("inputSchema"))).ToList(),
            root.GetProperty("results").EnumerateArray().Select(r => new Result(r.GetProperty("name").GetString()!, r.GetProperty("isError").GetBoolean(), r.GetProperty("text").GetString()!)).ToList());
    }
}
