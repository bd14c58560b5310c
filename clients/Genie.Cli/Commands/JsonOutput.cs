using System.Text.Json;

namespace Genie.Cli.Commands;

/// <summary>One JSON object on one line, for scripts (<c>--json</c>).</summary>
public static class JsonOutput
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static Task WriteAsync(CommandContext context, object value) =>
        context.Environment.Out.WriteLineAsync(JsonSerializer.Serialize(value, Options));
}
