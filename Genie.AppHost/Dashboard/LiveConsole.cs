using Genie.AppHost.Hosting;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Genie.AppHost.Dashboard;

/// <summary>
/// The terminal view: progress bars while infrastructure is provisioned, then a live resource table
/// with the portal and the admin sign-in under it. Messages that arrive while the table is live go
/// into its event panel (Spectre cannot print above a live display).
/// </summary>
internal sealed class LiveConsole : IAppHostConsole
{
    private const int EventsShown = 8;
    private readonly Lock _gate = new();
    private readonly List<IRenderable> _events = [];
    private bool _live;

    public void Info(string message) => Say(new Markup(Markup.Escape(message)));

    public void Warn(string message) => Say(new Markup($"[yellow]{Markup.Escape(message)}[/]"));

    public void Error(string message) => Say(new Markup($"[red bold]✗ {Markup.Escape(message)}[/]"));

    public void ReportFailure(string resource, string summary, IReadOnlyList<string> logTail)
    {
        var tail = logTail.TakeLast(_live ? 5 : logTail.Count).Select(l => new Markup($"[grey]  | {Markup.Escape(l)}[/]"));
        Say(new Rows([new Markup($"[red]{Markup.Escape(resource)} {Markup.Escape(summary)}[/]"), .. tail]));
    }

    public async Task TrackProgressAsync(string title, Func<IProgress<ProgressUpdate>, Task> work)
    {
        AnsiConsole.MarkupLine(Markup.Escape(title));
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var tasks = new Dictionary<string, ProgressTask>();
                await work(new CallbackProgress<ProgressUpdate>(update =>
                {
                    if (!tasks.TryGetValue(update.Task, out var task))
                        tasks[update.Task] = task = context.AddTask(update.Task, maxValue: update.Total);
                    task.MaxValue = update.Total;
                    task.Value = update.Completed;
                }));
                foreach (var task in tasks.Values)
                    task.Value = task.MaxValue;
            });
    }

    public async Task ShowResourcesAsync(DistributedApplication app, CancellationToken cancellationToken)
    {
        lock (_gate)
            _live = true;
        await AnsiConsole.Live(Render(app)).AutoClear(false).Overflow(VerticalOverflow.Ellipsis).StartAsync(async context =>
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                context.UpdateTarget(Render(app));
                try
                {
                    await Task.Delay(500, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                }
            }
            context.UpdateTarget(Render(app));
        });
        lock (_gate)
            _live = false;
    }

    private IRenderable Render(DistributedApplication app)
    {
        var table = new Table().Border(TableBorder.Rounded).Expand()
            .AddColumns("Resource", "State", "Health", "Endpoints (127.0.0.1)", "Restarts", "PID", "Memory");
        foreach (var s in app.Resources.SelectMany(r => r.Snapshot()))
            table.AddRow(
                new Markup($"[bold]{Markup.Escape(s.Name)}[/]" + (s.Kind == "project" || s.Kind == s.Name ? "" : $" [grey]{s.Kind}[/]")),
                new Markup(StateMarkup(s.State)),
                new Markup(s.Healthy switch { true => "[green]healthy[/]", false => "[red]unhealthy[/]", null => "[grey]-[/]" }),
                new Markup(Markup.Escape(string.Join('\n', s.Urls.Select(Compact).Concat(s.Detail is null ? [] : [s.Detail])))),
                new Markup(s.Restarts > 0 ? $"[yellow]{s.Restarts}[/]" : "0"),
                new Markup(s.ProcessId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? ""),
                new Markup(ResourceFormat.Memory(s)));

        var parts = new List<IRenderable> { table };
        if (app.TimeToAllHealthy is { } elapsed)
        {
            var lines = PortalSignIn.From(app)?.Lines().Select(l => Markup.Escape(l)).ToList() ?? [];
            lines.Insert(0, $"[green bold]All resources healthy after {ResourceFormat.Seconds(elapsed)}.[/]");
            lines.Add("[grey]Press Ctrl-C to stop. Logs: " + Markup.Escape(Path.Combine(app.StateDirectory, "logs")) + "[/]");
            parts.Add(new Panel(new Markup(string.Join('\n', lines))).Header("Genie Mentor").BorderColor(Color.Green));
        }
        else
        {
            parts.Add(new Markup("[yellow]Starting…[/] [grey]Ctrl-C stops everything.[/]"));
        }
        lock (_gate)
            if (_events.Count > 0)
                parts.Add(new Panel(new Rows(_events.TakeLast(EventsShown))).Header("Events").BorderColor(Color.Grey));
        return new Rows(parts);
    }

    /// <summary>"http http://127.0.0.1:5123/" → "http :5123": every endpoint is on loopback, the table stays narrow.</summary>
    private static string Compact(string url) => url.Replace("http://127.0.0.1:", ":", StringComparison.Ordinal).Replace("127.0.0.1:", ":", StringComparison.Ordinal).TrimEnd('/');

    private static string StateMarkup(ResourceState state) => state switch
    {
        ResourceState.Running => "[green]Running[/]",
        ResourceState.Failed => "[red]Failed[/]",
        ResourceState.Restarting => "[red]Restarting[/]",
        ResourceState.Unhealthy => "[yellow]Unhealthy[/]",
        ResourceState.Starting or ResourceState.Waiting => $"[yellow]{state}[/]",
        _ => $"[grey]{state}[/]",
    };

    private void Say(IRenderable message)
    {
        lock (_gate)
        {
            if (_live)
                _events.Add(message);
            else
                AnsiConsole.Write(new Rows(message));
        }
    }
}
