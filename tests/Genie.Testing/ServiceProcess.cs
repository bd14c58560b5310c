using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Genie.Testing;

/// <summary>
/// A service's build output (<c>dotnet services/X/bin/…/X.dll</c>) running as its own OS process, with exactly the
/// environment given (plus PATH, HOME and DOTNET_ROOT): as a deployment runs it, and so that a fault test can kill it
/// with SIGKILL; killed on dispose.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private static readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly Process process;
    private readonly StringBuilder output = new();

    private ServiceProcess(string name, Process process, Uri healthUrl)
    {
        Name = name;
        this.process = process;
        HealthUrl = healthUrl;
    }

    public string Name { get; }

    public Uri HealthUrl { get; }

    public string Output
    {
        get
        {
            lock (output)
                return output.ToString();
        }
    }

    /// <summary>The process id, to kill it from outside.</summary>
    public int Id => process.Id;

    /// <summary>
    /// Starts services/Genie.{<paramref name="name"/>}'s build output; the test project builds it with a
    /// <c>ProjectReference ReferenceOutputAssembly="false"</c>, in the same configuration.
    /// </summary>
    public static ServiceProcess StartProject(string name, IReadOnlyDictionary<string, string> environment, Uri healthUrl)
    {
        var directory = Directory.GetDirectories(Path.Combine(RepoPaths.Root, "services"))
            .Single(d => string.Equals(Path.GetFileName(d), $"Genie.{name}", StringComparison.OrdinalIgnoreCase));
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var assembly = Path.Combine(directory, "bin", configuration, "net10.0", Path.GetFileName(directory) + ".dll");
        if (!File.Exists(assembly))
            throw new InvalidOperationException($"{assembly} is missing: build the solution first");
        return Start(name, assembly, directory, environment, healthUrl);
    }

    /// <summary>SIGKILL: no shutdown, no flush, as when the machine or the OOM killer takes the process.</summary>
    public async Task KillAsync()
    {
        process.Kill();
        await process.WaitForExitAsync();
    }

    private static ServiceProcess Start(string name, string assembly, string contentRoot, IReadOnlyDictionary<string, string> environment, Uri healthUrl)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = contentRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assembly);
        start.Environment.Clear();
        foreach (var inherited in new[] { "PATH", "HOME", "DOTNET_ROOT" })
        {
            if (Environment.GetEnvironmentVariable(inherited) is { } value)
                start.Environment[inherited] = value;
        }
        foreach (var (key, value) in environment)
            start.Environment[key] = value;

        var process = new Process { StartInfo = start };
        var service = new ServiceProcess(name, process, healthUrl);
        process.OutputDataReceived += (_, e) => service.Append(e.Data);
        process.ErrorDataReceived += (_, e) => service.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    /// <summary>
    /// Polls /health until it answers 200; fails with the service's output if it exits or never gets there. A process
    /// that exited because another one took its port fails with an inner <see cref="SocketException"/>
    /// (AddressAlreadyInUse), so <see cref="FreePort.BindAsync{T}"/> starts it again on new ports.
    /// </summary>
    public async Task WaitHealthyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        string last = "no answer yet";
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                var message = $"{Name} exited with {process.ExitCode} before it was healthy:\n{Tail()}";
                throw Output.Contains("address already in use", StringComparison.OrdinalIgnoreCase)
                    ? new InvalidOperationException(message, new SocketException((int)SocketError.AddressAlreadyInUse))
                    : new InvalidOperationException(message);
            }
            try
            {
                using var response = await http.GetAsync(HealthUrl);
                if (response.IsSuccessStatusCode)
                    return;
                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }
            catch (TaskCanceledException)
            {
                last = "timed out";
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"{Name} was not healthy within {timeout} (last: {last}):\n{Tail()}");
    }

    private string Tail()
    {
        var lines = Output.Split('\n');
        return string.Join('\n', lines.TakeLast(40));
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (output)
            output.AppendLine(line);
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }
}
