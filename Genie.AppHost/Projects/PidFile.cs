using System.Globalization;

namespace Genie.AppHost.Projects;

/// <summary>
/// <c>.genie/run/&lt;name&gt;.pid</c>: which process runs an instance. Services run in their own
/// session (so Ctrl-C reaches only the AppHost, which stops them in order); if the AppHost itself
/// is killed they would outlive it, so the next run finds them here and stops them first.
/// </summary>
internal sealed class PidFile(string path, string commandMarker)
{
    public void Record(int pid)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, pid.ToString(CultureInfo.InvariantCulture));
    }

    public void Remove() => File.Delete(path);

    /// <summary>Kills the process a previous run left behind, if it is still that service.</summary>
    public async Task StopLeftoverAsync()
    {
        if (!File.Exists(path) || !int.TryParse(await File.ReadAllTextAsync(path), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            return;
        if (IsStillOurs(pid))
        {
            using var leftover = System.Diagnostics.Process.GetProcessById(pid);
            await ProcessTree.TerminateAsync(leftover, TimeSpan.FromSeconds(5));
        }
        Remove();
    }

    private bool IsStillOurs(int pid)
    {
        try
        {
            // /proc/<pid>/cmdline: NUL-separated arguments; ours include the service assembly's path.
            return !ProcessTree.IsGone(pid) && File.ReadAllText($"/proc/{pid}/cmdline").Contains(commandMarker, StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }
}
