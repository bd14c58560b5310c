namespace Genie.Testing;

/// <summary>Well-known paths of the repository, found from the test assembly's location.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> root = new(FindRoot);

    /// <summary>The folder holding Genie.sln.</summary>
    public static string Root => root.Value;

    /// <summary>The protos/ folder with the .proto contracts.</summary>
    public static string Protos => Path.Combine(Root, "protos");

    /// <summary>tests/node, the npm project of the real peers used by tests.</summary>
    public static string NodeProject => Path.Combine(Root, "tests", "node");

    /// <summary>tests/node/node_modules; throws with the fix when scripts/install-deps.sh has not run.</summary>
    public static string NodeModules
    {
        get
        {
            var path = Path.Combine(NodeProject, "node_modules");
            if (!Directory.Exists(path))
                throw new InvalidOperationException($"{path} is missing: run scripts/install-deps.sh");
            return path;
        }
    }

    /// <summary>The shared folder beside the repository (../shared): data sets and references.</summary>
    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Genie.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException(
            $"Genie.sln not found in {AppContext.BaseDirectory} or any parent folder");
    }
}
