using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Genie.Deploy.Tests.Rendering;

namespace Genie.Deploy.Tests.Startup;

/// <summary>
/// The environment Kubernetes gives a Deployment's container: <c>envFrom</c> ConfigMaps, then
/// <c>env</c> in order with <c>$(VAR)</c> expanded, Secret keys from <paramref name="secrets"/> (optional ones may be missing).
/// </summary>
public static partial class ManifestEnvironment
{
    public static Dictionary<string, string> For(
        JsonObject deployment, IReadOnlyList<JsonObject> objects, IReadOnlyDictionary<(string Secret, string Key), string> secrets)
    {
        var container = deployment["spec"]!["template"]!["spec"]!["containers"]![0]!;
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in container["envFrom"]?.AsArray() ?? [])
        {
            var name = (string)source!["configMapRef"]!["name"]!;
            foreach (var (key, value) in objects.Named("ConfigMap", name)["data"]!.AsObject())
                environment[key] = (string)value!;
        }
        foreach (var variable in container["env"]?.AsArray() ?? [])
        {
            var name = (string)variable!["name"]!;
            var resolved = variable["value"] is { } value
                ? Expand((string)value!, environment)
                : Resolve(variable["valueFrom"]!, deployment, secrets, name);
            // An optional Secret key no one created: Kubernetes leaves the variable out.
            if (resolved is not null)
                environment[name] = resolved;
        }
        return environment;
    }

    private static string? Resolve(JsonNode from, JsonObject deployment, IReadOnlyDictionary<(string, string), string> secrets, string name)
    {
        if (from["secretKeyRef"] is { } secretRef)
        {
            var key = ((string)secretRef["name"]!, (string)secretRef["key"]!);
            return secrets.TryGetValue(key, out var value) ? value
                : (bool?)secretRef["optional"] == true ? null
                : throw new InvalidOperationException($"{name} reads Secret {key.Item1} key {key.Item2}, which no one creates");
        }
        if (from["fieldRef"]?["fieldPath"] is { } field)
        {
            return (string)field! switch
            {
                "metadata.name" => $"{deployment.Name()}-7d9c5b6f4-x2x5q",
                "metadata.namespace" => "genie",
                var other => throw new InvalidOperationException($"{name}: field {other} is not simulated"),
            };
        }
        throw new InvalidOperationException($"{name}: unsupported valueFrom {from.ToJsonString()}");
    }

    /// <summary>Kubernetes' rule: $(VAR) of a variable defined before is replaced, $$ escapes, anything else stays.</summary>
    private static string Expand(string value, Dictionary<string, string> defined) =>
        Reference().Replace(value, m => m.Value == "$$" ? "$" : defined.TryGetValue(m.Groups[1].Value, out var v) ? v : m.Value);

    [GeneratedRegex(@"\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)")]
    private static partial Regex Reference();
}
