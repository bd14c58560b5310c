using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Genie.AppHost.Projects;

/// <summary>
/// Stops a process and everything it started. The descendants are listed before the process is
/// asked to stop, because once it exits its children are re-parented and no longer found under it.
/// </summary>
internal static class ProcessTree
{
    private const int SigTerm = 15;
    private const int SigKill = 9;

    /// <summary>SIGTERM (graceful: ASP.NET drains and exits), then SIGKILL whatever is left after <paramref name="grace"/>.</summary>
    public static async Task TerminateAsync(Process process, TimeSpan grace)
    {
        if (HasExited(process))
            return;
        var pid = process.Id;
        var descendants = Descendants(pid);
        if (OperatingSystem.IsWindows())
        {
            process.Kill(entireProcessTree: true);
        }
        else
        {
            _ = kill(pid, SigTerm);
            // Poll rather than WaitForExitAsync: that also waits for end-of-file on redirected output,
            // which a surviving grandchild holding the pipe would postpone.
            var deadline = DateTime.UtcNow + grace;
            while (!HasExited(process) && DateTime.UtcNow < deadline)
                await Task.Delay(50);
            if (!HasExited(process))
                _ = kill(pid, SigKill);
        }
        foreach (var child in descendants)
            _ = OperatingSystem.IsWindows() ? 0 : kill(child, SigKill);
        await process.WaitForExitAsync();
    }

    /// <summary>Every live process below <paramref name="pid"/>, read from /proc (empty elsewhere).</summary>
    public static IReadOnlyList<int> Descendants(int pid)
    {
        if (!Directory.Exists("/proc"))
            return [];
        var children = new Dictionary<int, List<int>>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var candidate))
                continue;
            var parent = ParentOf(candidate);
            if (parent is null)
                continue;
            if (!children.TryGetValue(parent.Value, out var list))
                children[parent.Value] = list = [];
            list.Add(candidate);
        }
        var result = new List<int>();
        var queue = new Queue<int>([pid]);
        while (queue.TryDequeue(out var current))
            foreach (var child in children.GetValueOrDefault(current) ?? [])
            {
                result.Add(child);
                queue.Enqueue(child);
            }
        return result;
    }

    /// <summary>True when the process is gone (or only a zombie waiting to be reaped).</summary>
    public static bool IsGone(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state is "Z" or "X";
        }
        catch (IOException)
        {
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Resident memory of a live process, from /proc/&lt;pid&gt;/status.</summary>
    public static long? ResidentBytes(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    return long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
        }
        return null;
    }

    private static int? ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so parse after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    private static bool HasExited(Process process)
    {
        try
        {
            return process.HasExited;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
