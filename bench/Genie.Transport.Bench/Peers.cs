using System.Diagnostics;

namespace Genie.Transport.Bench;

/// <summary>How to start the two servers under test as child processes.</summary>
public static class Peers
{
    /// <summary>This executable in <c>--serve</c> mode: Grpc.AspNetCore hosting echo.proto with our ServiceDefaults.</summary>
    public static ProcessStartInfo Ours(string signingKey)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("The benchmark cannot find its own executable.");
        var info = new ProcessStartInfo(self);
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
            info.ArgumentList.Add(typeof(Peers).Assembly.Location);
        info.ArgumentList.Add("--serve");
        info.Environment["Genie__Auth__SigningKey"] = signingKey;
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        return info;
    }

    /// <summary>tests/node/interop/server.js on @grpc/grpc-js from tests/node/node_modules.</summary>
    public static ProcessStartInfo GrpcJs()
    {
        var root = RepoRoot();
        var modules = Path.Combine(root, "tests", "node", "node_modules", "@grpc", "grpc-js", "package.json");
        if (!File.Exists(modules))
            throw new InvalidOperationException("@grpc/grpc-js is not installed in tests/node/node_modules: run scripts/install-deps.sh first.");
        var info = new ProcessStartInfo(FindOnPath("node")) { WorkingDirectory = Path.Combine(root, "tests", "node", "interop") };
        info.ArgumentList.Add(Path.Combine(root, "tests", "node", "interop", "server.js"));
        return info;
    }

    public static string GrpcJsVersion()
    {
        var package = Path.Combine(RepoRoot(), "tests", "node", "node_modules", "@grpc", "grpc-js", "package.json");
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(package));
        return json.RootElement.GetProperty("version").GetString() ?? "?";
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Genie.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"Genie.sln not found above {AppContext.BaseDirectory}.");
    }

    private static string FindOnPath(string name)
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, OperatingSystem.IsWindows() ? name + ".exe" : name);
            if (File.Exists(candidate))
                return candidate;
        }
        throw new InvalidOperationException($"{name} is not on PATH: run scripts/install-deps.sh.");
    }
}
