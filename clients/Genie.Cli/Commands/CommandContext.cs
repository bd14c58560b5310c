using Spectre.Console;

namespace Genie.Cli.Commands;

/// <summary>What every command uses: the run's environment, its console, and the signed-in session.</summary>
public sealed class CommandContext(CliEnvironment environment)
{
    private IAnsiConsole? _console;

    public CliEnvironment Environment { get; } = environment;

    public IAnsiConsole Console => _console ??= Environment.CreateConsole();

    public GenieSession OpenSession() => GenieSession.Open(Environment);
}
