using System.Text.Json.Nodes;
using Genie.Testing;
using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Genie.Deploy.Tests.Rendering;

/// <summary>
/// <c>kubectl kustomize</c> over deploy/kubernetes: the objects an overlay renders, as JSON.
/// kubectl is the one on PATH, or the one scripts/install-deps.sh extracted into tests/node/tools.
/// </summary>
public static class Kustomize
{
    public static string DeployDirectory => Path.Combine(RepoPaths.Root, "deploy", "kubernetes");

    public static IReadOnlyList<string> Overlays =>
        Directory.GetDirectories(Path.Combine(DeployDirectory, "overlays")).Select(Path.GetFileName).Order().ToArray()!;

    public static string Kubectl
    {
        get
        {
            var extracted = Path.Combine(RepoPaths.NodeProject, "tools", "kubectl");
            return File.Exists(extracted) ? extracted : "kubectl";
        }
    }

    public static async Task<IReadOnlyList<JsonObject>> RenderAsync(string directory)
    {
        var result = await Tool.RunAsync(Kubectl, ["kustomize", directory]);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"kubectl kustomize {directory} failed ({result.ExitCode}): {result.Error}");
        return ParseYaml(result.Output);
    }

    /// <summary>Every document of a YAML stream; plain scalars typed by YAML's core schema (3 is a number, "3" a string).</summary>
    public static IReadOnlyList<JsonObject> ParseYaml(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Select(d => ToJson(d.RootNode)).OfType<JsonObject>().ToList();
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(e => KeyValuePair.Create(((YamlScalarNode)e.Key).Value!, ToJson(e.Value)))),
        YamlSequenceNode list => new JsonArray(list.Children.Select(ToJson).ToArray()),
        YamlScalarNode { Style: ScalarStyle.Plain } plain => Typed(plain.Value ?? ""),
        YamlScalarNode quoted => JsonValue.Create(quoted.Value ?? ""),
        _ => throw new InvalidOperationException($"unsupported YAML node {node.NodeType} at {node.Start}"),
    };

    private static JsonNode? Typed(string value) => value switch
    {
        "" or "~" or "null" or "Null" or "NULL" => null,
        "true" or "True" or "TRUE" => JsonValue.Create(true),
        "false" or "False" or "FALSE" => JsonValue.Create(false),
        _ when Regex.IsMatch(value, "^[-+]?[0-9]+$") => int.TryParse(value, CultureInfo.InvariantCulture, out var small)
            ? JsonValue.Create(small)
            : JsonValue.Create(long.Parse(value, CultureInfo.InvariantCulture)),
        _ when Regex.IsMatch(value, @"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$") => JsonValue.Create(double.Parse(value, CultureInfo.InvariantCulture)),
        _ => JsonValue.Create(value),
    };
}
