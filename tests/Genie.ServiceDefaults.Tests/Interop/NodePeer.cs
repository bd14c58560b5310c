using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Genie.Testing;

namespace Genie.ServiceDefaults.Tests.Interop;

/// <summary>
/// Runs the @grpc/grpc-js peers in tests/node/interop with the packages scripts/install-deps.sh installs
/// into tests/node/node_modules. A missing Node or missing packages fail the test with how to fix it.
/// </summary>
public static class NodePeer
{
    public static string InteropDirectory => Path.Combine(RepoPaths.NodeProject, "interop");

    /// <summary>A node process for <paramref name="script"/> (in tests/node/interop), checked to be runnable.</summary>
    public static ProcessStartInfo StartInfo(string script, params string[] arguments)
    {
        var modules = Path.Combine(RepoPaths.NodeProject, "node_modules");
        foreach (var package in new[] { "@grpc/grpc-js", "@grpc/proto-loader" })
        {
            if (!File.Exists(Path.Combine(modules, package, "package.json")))
                throw new InvalidOperationException(
                    $"{package} is not installed in {modules}: run scripts/install-deps.sh (npm ci in tests/node) first.");
        }
        var info = new ProcessStartInfo(FindNode())
        {
            WorkingDirectory = InteropDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(InteropDirectory, script));
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        return info;
    }

    /// <summary>
    /// Runs client.js against <paramref name="address"/> (host:port) for the named cases and returns each
    /// case's JSON result by case name.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, JsonElement>> RunClientAsync(string address, string token, params string[] cases)
    {
        var info = StartInfo("client.js", [address, .. cases]);
        info.Environment["GENIE_TOKEN"] = token;
        using var process = Process.Start(info) ?? throw new InvalidOperationException("node did not start.");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"client.js did not finish in 90 s. stderr: {await stderr}");
        }
        var output = await stdout;
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"client.js exited with {process.ExitCode}. stderr: {await stderr}\nstdout: {output}");
        var results = new Dictionary<string, JsonElement>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var element = JsonDocument.Parse(line).RootElement.Clone();
            results[element.GetProperty("case").GetString()!] = element;
        }
        foreach (var name in cases)
        {
            if (!results.ContainsKey(name))
                throw new InvalidOperationException($"client.js printed no result for '{name}'. stdout: {output} stderr: {await stderr}");
        }
        return results;
    }

    private static string FindNode()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, OperatingSystem.IsWindows() ? "node.exe" : "node");
            if (File.Exists(candidate))
                return candidate;
        }
        throw new InvalidOperationException("node is not on PATH: run scripts/install-deps.sh to install Node.js and the test peers.");
    }

}
