using Microsoft.Extensions.Configuration;

namespace Genie.AppHost.LocalState;

/// <summary>
/// <c>.genie/</c> at the repository root (the folder holding Genie.sln), or <c>Genie:StateDirectory</c>.
/// It keeps the embedded PostgreSQL cluster, the signing key, the first admin's sign-in and the logs.
/// </summary>
internal static class LocalStateDirectory
{
    public const string ConfigurationKey = "Genie:StateDirectory";

    public static string Resolve(IConfiguration configuration)
    {
        var configured = configuration[ConfigurationKey];
        if (!string.IsNullOrWhiteSpace(configured))
            return Path.GetFullPath(configured);
        var root = FindRepositoryRoot(Directory.GetCurrentDirectory()) ?? FindRepositoryRoot(AppContext.BaseDirectory);
        return Path.Combine(root ?? Directory.GetCurrentDirectory(), ".genie");
    }

    public static string? FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Genie.sln")))
                return dir.FullName;
        return null;
    }
}
