using System.Text.Json;

namespace Genie.Web.Tests.Infrastructure;

public sealed record SseEvent(string Name, JsonElement Data);

/// <summary>Parses a complete text/event-stream body (event + data lines, blank-line separated).</summary>
public static class SseParser
{
    public static IReadOnlyList<SseEvent> Parse(string body) => body.Replace("\r\n", "\n")
        .Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
        .Select(block =>
        {
            var lines = block.Split('\n');
            var name = lines.FirstOrDefault(l => l.StartsWith("event:", StringComparison.Ordinal))?[6..].Trim() ?? "message";
            var data = string.Join("\n", lines.Where(l => l.StartsWith("data:", StringComparison.Ordinal)).Select(l => l[5..].TrimStart()));
            return new SseEvent(name, JsonDocument.Parse(data).RootElement.Clone());
        })
        .ToList();
}
