using System.Reflection;

namespace Genie.AppHost.Projects;

/// <summary>
/// The service projects the AppHost references (built with it, never loaded into it), and where
/// each one's assembly lands: recorded at build time as <c>GenieProject:&lt;csproj&gt;</c> assembly
/// metadata by Genie.AppHost.csproj.
/// </summary>
internal static class ProjectCatalog
{
    private const string Prefix = "GenieProject:";

    public static (string AssemblyPath, string ProjectDirectory)? Find(string projectName)
    {
        foreach (var attribute in typeof(ProjectCatalog).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>())
        {
            if (!attribute.Key.StartsWith(Prefix, StringComparison.Ordinal) || attribute.Value is null)
                continue;
            var projectFile = attribute.Key[Prefix.Length..];
            if (string.Equals(Path.GetFileNameWithoutExtension(projectFile), projectName, StringComparison.OrdinalIgnoreCase))
                return (attribute.Value, Path.GetDirectoryName(projectFile)!);
        }
        return null;
    }
}
