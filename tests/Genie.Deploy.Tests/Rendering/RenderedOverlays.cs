using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Genie.Deploy.Tests.Rendering;

/// <summary>Each overlay rendered once per test run.</summary>
public static class RenderedOverlays
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<IReadOnlyList<JsonObject>>>> cache = new();

    public static Task<IReadOnlyList<JsonObject>> GetAsync(string overlay) =>
        cache.GetOrAdd(overlay, o => new(() => Kustomize.RenderAsync(Path.Combine(Kustomize.DeployDirectory, "overlays", o)))).Value;

    public static IEnumerable<JsonObject> OfKind(this IEnumerable<JsonObject> objects, string kind) =>
        objects.Where(o => (string?)o["kind"] == kind);

    public static JsonObject Named(this IEnumerable<JsonObject> objects, string kind, string name) =>
        objects.OfKind(kind).SingleOrDefault(o => (string?)o["metadata"]?["name"] == name)
            ?? throw new InvalidOperationException($"no {kind} {name} in the rendered objects");

    public static string Name(this JsonObject o) => (string)o["metadata"]!["name"]!;
}
