namespace Genie.Reliability.Tests;

/// <summary>A throwaway stand-in for <c>.genie/</c>, open to the postgres OS user that runs a local cluster.</summary>
internal sealed class StateDirectory : IDisposable
{
    public StateDirectory()
    {
        Path = Directory.CreateTempSubdirectory("genie-state-").FullName;
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A cluster's files may still be closing; the temp folder is cleaned by the OS.
        }
    }
}
