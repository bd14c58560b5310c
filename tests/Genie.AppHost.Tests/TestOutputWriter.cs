using System.Text;

namespace Genie.AppHost.Tests;

/// <summary>Forwards the AppHost's lines to xunit's test output.</summary>
internal sealed class TestOutputWriter(ITestOutputHelper output) : TextWriter
{
    public override Encoding Encoding => Encoding.UTF8;

    public override void WriteLine(string? value) => output.WriteLine(value ?? "");
}
