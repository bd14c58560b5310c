using System.Diagnostics;

namespace Genie.Testing;

/// <summary>
/// Runs PostgreSQL tools as an OS user they accept: PostgreSQL refuses to run as root, so as root
/// the tools run as the "postgres" user through runuser; otherwise they run as the current user.
/// </summary>
public sealed class OsUser
{
    private const string PostgresUser = "postgres";
    private readonly bool switchToPostgres;

    private OsUser(bool switchToPostgres) => this.switchToPostgres = switchToPostgres;

    public static OsUser ForPostgres() => new(Environment.IsPrivilegedProcess);

    public void GiveOwnership(string directory)
    {
        if (switchToPostgres)
            Run("chown", [$"{PostgresUser}:", directory], "chown", direct: true);
    }

    public void Run(string executable, IReadOnlyList<string> arguments, string what, bool direct = false)
    {
        if (!TryRun(executable, arguments, out var output, direct))
            throw new InvalidOperationException($"{what} failed: {output}");
    }

    public bool TryRun(string executable, IReadOnlyList<string> arguments, out string output, bool direct = false)
    {
        var switchUser = switchToPostgres && !direct;
        var file = switchUser ? "runuser" : executable;
        IReadOnlyList<string> args = switchUser ? ["-u", PostgresUser, "--", executable, .. arguments] : arguments;
        var info = new ProcessStartInfo(file, args)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(info)
            ?? throw new InvalidOperationException($"could not start {file}");
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        output = (stdout + stderr.Result).Trim();
        return process.ExitCode == 0;
    }

    /// <summary>The same command as one /bin/sh line, for scripts that outlive this process.</summary>
    public string ShellCommand(string executable, IReadOnlyList<string> arguments)
    {
        IReadOnlyList<string> words = switchToPostgres
            ? ["runuser", "-u", PostgresUser, "--", executable, .. arguments]
            : [executable, .. arguments];
        return string.Join(' ', words.Select(w => "'" + w.Replace("'", "'\\''") + "'"));
    }
}
