using System.Text;

namespace Genie.AppHost.Testing;

/// <summary>Keeps everything the AppHost printed (for failure messages) and forwards it as it comes.</summary>
internal sealed class RecordingWriter(TextWriter? forward) : TextWriter
{
    private readonly StringBuilder _recorded = new();
    private readonly Lock _gate = new();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (_gate)
            _recorded.Append(value);
    }

    public override void WriteLine(string? value)
    {
        lock (_gate)
            _recorded.AppendLine(value);
        try
        {
            forward?.WriteLine(value);
        }
        catch (InvalidOperationException)
        {
            // xunit's output helper refuses writes once its test has finished; the record keeps them.
        }
    }

    public string Text
    {
        get
        {
            lock (_gate)
                return _recorded.ToString();
        }
    }
}
