using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;

namespace Genie.ServiceDefaults.Tests.Interop;

/// <summary>
/// A @grpc/grpc-js server (tests/node/interop/server.js) for one test class: started on a free
/// loopback port, its JSON event lines collected, killed on dispose.
/// </summary>
public sealed class GrpcJsServerFixture : IAsyncLifetime
{
    private readonly Channel<string> _events = Channel.CreateUnbounded<string>();
    private readonly List<string> _stderr = [];
    private Process _process = null!;
    private Task _pump = Task.CompletedTask;

    public Uri Address { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _process = Process.Start(NodePeer.StartInfo("server.js")) ?? throw new InvalidOperationException("node did not start.");
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
                lock (_stderr) _stderr.Add(e.Data);
        };
        _process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        string? first;
        try
        {
            first = await _process.StandardOutput.ReadLineAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            first = null;
        }
        if (!int.TryParse(first, out var port))
        {
            _process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"server.js printed no port (got '{first}'). stderr: {Stderr()}");
        }
        Address = new Uri($"http://127.0.0.1:{port}");
        _pump = PumpEventsAsync();
    }

    /// <summary>Waits until server.js reports <paramref name="name"/> (e.g. "slow-cancelled").</summary>
    public async Task WaitForEventAsync(string name, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await foreach (var line in _events.Reader.ReadAllAsync(cts.Token))
            {
                using var json = JsonDocument.Parse(line);
                if (json.RootElement.GetProperty("event").GetString() == name)
                    return;
            }
        }
        catch (OperationCanceledException)
        {
        }
        throw new TimeoutException($"server.js did not report '{name}' within {timeout}. stderr: {Stderr()}");
    }

    public async Task DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _process.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _pump;
        _process.Dispose();
    }

    private async Task PumpEventsAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith('{'))
                _events.Writer.TryWrite(line);
        }
        _events.Writer.TryComplete();
    }

    private string Stderr()
    {
        lock (_stderr) return string.Join('\n', _stderr);
    }
}
