using System.Diagnostics;
using Genie.Testing;

namespace Genie.Reliability.Tests;

/// <summary>Runs scripts/backup.sh and scripts/restore.sh as a user would, with the environment given.</summary>
internal static class BackupScripts
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static Task<Result> BackupAsync(string file, IDictionary<string, string> environment) =>
        RunAsync("backup.sh", [file], environment);

    public static Task<Result> RestoreAsync(IReadOnlyList<string> arguments, IDictionary<string, string> environment) =>
        RunAsync("restore.sh", arguments, environment);

    private static async Task<Result> RunAsync(string script, IReadOnlyList<string> arguments, IDictionary<string, string> environment)
    {
        var info = new ProcessStartInfo("bash", [Path.Combine(RepoPaths.Root, "scripts", script), .. arguments])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // Only what the test names: a developer's own ConnectionStrings__genie must not leak in.
        info.Environment.Remove("ConnectionStrings__genie");
        info.Environment.Remove("GENIE_POSTGRES");
        info.Environment.Remove("Genie__StateDirectory");
        foreach (var (key, value) in environment)
            info.Environment[key] = value;
        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        return new Result(process.ExitCode, (await output).Trim(), (await error).Trim());
    }
}
