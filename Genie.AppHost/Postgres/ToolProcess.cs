using System.Diagnostics;
using System.Text;

namespace Genie.AppHost.Postgres;

/// <summary>Runs a PostgreSQL tool to completion, as the <c>postgres</c> OS user when we are root.</summary>
internal static class ToolProcess
{
    public sealed record Result(int ExitCode, string Output);

    public static async Task<Result> RunAsync(string tool, IEnumerable<string> arguments, string? runAsUser, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(runAsUser is null ? tool : "runuser")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (runAsUser is not null)
        {
            foreach (var prefix in new[] { "-u", runAsUser, "--", tool })
                start.ArgumentList.Add(prefix);
        }
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        // The tools print localized messages; keep them predictable, and never inherit a password prompt.
        start.Environment["LC_MESSAGES"] = "C";

        using var process = new Process { StartInfo = start };
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        lock (output)
            return new Result(process.ExitCode, output.ToString().Trim());
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
            return;
        lock (output)
            output.AppendLine(line);
    }
}
