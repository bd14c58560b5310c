using Genie.AppHost.Hosting;

namespace Genie.AppHost.Dashboard;

/// <summary>Line-by-line output for CI logs and tests: a line whenever a resource changes state.</summary>
internal sealed class PlainConsole(TextWriter output) : IAppHostConsole
{
    private readonly Lock _gate = new();

    public void Info(string message) => Write(message);

    public void Warn(string message) => Write("warning: " + message);

    public void Error(string message) => Write("error: " + message);

    public void ReportFailure(string resource, string summary, IReadOnlyList<string> logTail)
    {
        lock (_gate)
        {
            Write($"{resource} {summary}; last lines of its log:");
            foreach (var line in logTail)
                Write("  | " + line);
        }
    }

    public async Task TrackProgressAsync(string title, Func<IProgress<ProgressUpdate>, Task> work)
    {
        Write(title);
        var printedQuarter = new Dictionary<string, long>();
        await work(new CallbackProgress<ProgressUpdate>(update =>
        {
            var quarter = update.Total > 0 ? update.Completed * 4 / update.Total : 0;
            if (printedQuarter.TryGetValue(update.Task, out var last) && last >= quarter)
                return;
            printedQuarter[update.Task] = quarter;
            Write($"  {update.Task}: {quarter * 25}% of {update.Total / (1024 * 1024)} MiB");
        }));
    }

    public async Task ShowResourcesAsync(DistributedApplication app, CancellationToken cancellationToken)
    {
        var printed = new Dictionary<string, string>();
        var announced = false;
        while (true)
        {
            foreach (var snapshot in app.Resources.SelectMany(r => r.Snapshot()))
            {
                var signature = ResourceFormat.Signature(snapshot);
                if (printed.GetValueOrDefault(snapshot.Name) == signature)
                    continue;
                printed[snapshot.Name] = signature;
                Write(ResourceFormat.Line(snapshot));
            }
            if (!announced && app.TimeToAllHealthy is { } elapsed)
            {
                announced = true;
                Write($"All resources healthy after {ResourceFormat.Seconds(elapsed)}.");
                foreach (var line in PortalSignIn.From(app)?.Lines() ?? [])
                    Write(line);
                Write("Press Ctrl-C to stop.");
            }
            if (cancellationToken.IsCancellationRequested)
                return;
            try
            {
                await Task.Delay(250, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // One more pass prints the final (stopped) states.
            }
        }
    }

    private void Write(string line)
    {
        lock (_gate)
        {
            output.WriteLine($"{DateTime.Now:HH:mm:ss} {line}");
            output.Flush();
        }
    }
}
