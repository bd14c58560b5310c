using System.Text;

namespace Genie.AppHost.Projects;

/// <summary>The log of one process (<c>.genie/logs/&lt;name&gt;.log</c>): appended across restarts, tail readable.</summary>
internal sealed class LogFile : IDisposable
{
    private readonly StreamWriter _writer;
    private readonly Lock _gate = new();
    private bool _closed;

    public LogFile(string path)
    {
        Path = path;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        _writer = new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true };
    }

    public string Path { get; }

    public void WriteLine(string? line)
    {
        if (line is null)
            return;
        lock (_gate)
            if (!_closed)
                _writer.WriteLine(line);
    }

    /// <summary>The last <paramref name="count"/> lines of the file.</summary>
    public IReadOnlyList<string> Tail(int count) => ReadTail(Path, count);

    public static IReadOnlyList<string> ReadTail(string path, int count)
    {
        if (!File.Exists(path))
            return [];
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        const int window = 64 * 1024;
        stream.Seek(Math.Max(0, stream.Length - window), SeekOrigin.Begin);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var lines = reader.ReadToEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        if (lines.Count > 0 && lines[^1].Length == 0)
            lines.RemoveAt(lines.Count - 1);
        return lines.Skip(Math.Max(0, lines.Count - count)).ToList();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _closed = true; // output events can still arrive from a process being torn down
            _writer.Dispose();
        }
    }
}
