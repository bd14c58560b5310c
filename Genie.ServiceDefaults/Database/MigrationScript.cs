using System.Reflection;
using System.Text.RegularExpressions;

namespace Genie.ServiceDefaults.Database;

/// <summary>One versioned SQL script embedded in a service assembly (<c>Migrations/NNNN_name.sql</c>).</summary>
public sealed partial record MigrationScript(int Version, string Name, string Sql)
{
    /// <summary>
    /// The scripts of <paramref name="assembly"/> in version order: resources named
    /// <c>*.Migrations.NNNN_name.sql</c>, or, with <paramref name="resourcePrefix"/>, resources named
    /// <c>{resourcePrefix}NNNN_name.sql</c>. Two scripts with one version are an error.
    /// </summary>
    public static IReadOnlyList<MigrationScript> FromAssembly(Assembly assembly, string? resourcePrefix = null)
    {
        var scripts = new List<MigrationScript>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var match = resourcePrefix is null
                ? DefaultName().Match(resource)
                : resource.StartsWith(resourcePrefix, StringComparison.Ordinal)
                    ? PrefixedName().Match(resource[resourcePrefix.Length..])
                    : Match.Empty;
            if (!match.Success)
                continue;

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            var version = int.Parse(match.Groups["version"].Value);
            scripts.Add(new MigrationScript(version, $"{match.Groups["version"].Value}_{match.Groups["name"].Value}", reader.ReadToEnd()));
        }

        var duplicate = scripts.GroupBy(s => s.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new InvalidOperationException(
                $"Migrations {string.Join(" and ", duplicate.Select(s => s.Name))} in {assembly.GetName().Name} share version {duplicate.Key}");
        return scripts.OrderBy(s => s.Version).ToList();
    }

    [GeneratedRegex(@"(?:^|\.)Migrations\.(?<version>\d+)_(?<name>[^.]+)\.sql$")]
    private static partial Regex DefaultName();

    [GeneratedRegex(@"^(?<version>\d+)_(?<name>[^.]+)\.sql$")]
    private static partial Regex PrefixedName();
}
