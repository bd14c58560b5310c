using Spectre.Console;

namespace Genie.Cli;

/// <summary>
/// What a run of the CLI reads and writes: its streams, its environment variables and its config directory. The
/// process gets the real ones; tests run the same commands in-process with their own.
/// </summary>
public sealed class CliEnvironment
{
    public required TextWriter Out { get; init; }

    public required TextWriter Error { get; init; }

    public required TextReader In { get; init; }

    /// <summary>Standard output is a terminal: colours (unless NO_COLOR), live progress bars, prompts.</summary>
    public bool IsTerminal { get; init; }

    /// <summary>Standard input is a terminal, so a secret can be asked for without echo.</summary>
    public bool IsInputTerminal { get; init; }

    /// <summary>Where <c>config.json</c> lives: <c>GENIE_CONFIG_DIR</c>, else the user's config directory + <c>/genie</c>.</summary>
    public required string ConfigDirectory { get; init; }

    public IReadOnlyDictionary<string, string> Variables { get; init; } = new Dictionary<string, string>();

    public string? Variable(string name) => Variables.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    /// <summary>The console commands write to: plain text when the output is not a terminal or NO_COLOR is set.</summary>
    public IAnsiConsole CreateConsole()
    {
        var plain = !IsTerminal || Variable("NO_COLOR") is not null;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Out),
            Ansi = IsTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = plain ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = IsTerminal && IsInputTerminal ? InteractionSupport.Yes : InteractionSupport.No,
        });
        // Piped output is read by scripts: never wrap a table row (ids stay whole on one line).
        if (!IsTerminal)
            console.Profile.Width = 4096;
        return console;
    }

    public static CliEnvironment FromProcess()
    {
        var variables = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => e.Value as string ?? "");
        var configDirectory = variables.GetValueOrDefault("GENIE_CONFIG_DIR") is { Length: > 0 } dir
            ? dir
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData, Environment.SpecialFolderOption.DoNotVerify), "genie");
        return new CliEnvironment
        {
            Out = Console.Out,
            Error = Console.Error,
            In = Console.In,
            IsTerminal = !Console.IsOutputRedirected,
            IsInputTerminal = !Console.IsInputRedirected,
            ConfigDirectory = configDirectory,
            Variables = variables,
        };
    }
}
