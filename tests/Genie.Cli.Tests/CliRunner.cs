using Genie.Cli.Commands;

namespace Genie.Cli.Tests;

public sealed record CliRun(int ExitCode, string Out, string Error)
{
    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>Runs genie commands in-process, as one user with their own config directory; output is not a terminal.</summary>
public sealed class CliRunner : IDisposable
{
    private readonly Dictionary<string, string> _variables = new();

    public CliRunner() => ConfigDirectory = Path.Combine(Path.GetTempPath(), "genie-cli-tests", Guid.NewGuid().ToString("N"), "genie");

    public string ConfigDirectory { get; }

    public string ConfigFile => Path.Combine(ConfigDirectory, "config.json");

    public CliRunner With(string variable, string value)
    {
        _variables[variable] = value;
        return this;
    }

    public async Task<CliRun> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await GenieCli.RunAsync(args, new CliEnvironment
        {
            Out = output,
            Error = error,
            In = new StringReader(""),
            ConfigDirectory = ConfigDirectory,
            Variables = new Dictionary<string, string>(_variables),
        });
        return new CliRun(exit, output.ToString(), error.ToString());
    }

    /// <summary>genie login with the person's token in GENIE_TOKEN; fails the test when login fails.</summary>
    public async Task<CliRunner> LoginAsync(Uri url, Person person)
    {
        With(LoginCommands.TokenVariable, person.Token);
        var run = await RunAsync("login", "--url", url.ToString());
        Assert.True(run.ExitCode == 0, $"login failed: {run.Error}");
        _variables.Remove(LoginCommands.TokenVariable);
        return this;
    }

    public void Dispose()
    {
        var root = Path.GetDirectoryName(ConfigDirectory)!;
        if (Directory.Exists(root))
            Directory.Delete(root, recursive: true);
    }
}
