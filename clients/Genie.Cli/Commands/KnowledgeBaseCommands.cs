using System.CommandLine;
using Genie.Contracts.Retrieval.V1;
using Grpc.Core;
using Spectre.Console;

namespace Genie.Cli.Commands;

/// <summary><c>genie kb list</c> and <c>genie kb sync NAME</c>.</summary>
public static class KnowledgeBaseCommands
{
    private static readonly TimeSpan SyncTimeout = TimeSpan.FromHours(1);

    public static Command Create(CommandContext context)
    {
        var command = new Command("kb", "Knowledge bases: list the ones you may read, sync the ones you manage.");
        command.Subcommands.Add(List(context));
        command.Subcommands.Add(Sync(context));
        return command;
    }

    private static Command List(CommandContext context)
    {
        var command = new Command("list", "List the knowledge bases you may read.");
        command.SetAction(async (_, ct) =>
        {
            using var session = context.OpenSession();
            var response = await session.UnaryAsync(o => session.Retrieval.ListKnowledgeBasesAsync(new ListKnowledgeBasesRequest(), o), ct);
            if (response.KnowledgeBases.Count == 0)
            {
                context.Console.WriteLine("No knowledge base is shared with you yet.");
                return 0;
            }
            var table = new Table().AddColumns("Name", "Documents", "Chunks", "Sources", "Id");
            foreach (var kb in response.KnowledgeBases.OrderBy(k => k.Name, StringComparer.OrdinalIgnoreCase))
                table.AddRow(Markup.Escape(kb.Name), kb.DocumentCount.ToString(), kb.ChunkCount.ToString(), kb.SourceCount.ToString(), kb.Id);
            context.Console.Write(table);
            return 0;
        });
        return command;
    }

    private static Command Sync(CommandContext context)
    {
        var name = new Argument<string>("name") { Description = "The knowledge base (name or id)." };
        var command = new Command("sync", "Sync every source of a knowledge base now, showing progress as it runs.") { name };
        command.SetAction(async (parse, ct) =>
        {
            using var session = context.OpenSession();
            var kb = await KnowledgeBaseLookup.FindAsync(session, parse.GetValue(name) ?? "", ct);
            var sources = (await session.UnaryAsync(o => session.Retrieval.ListSourcesAsync(new ListSourcesRequest { KnowledgeBaseId = kb.Id }, o), ct)).Sources;
            if (sources.Count == 0)
                throw new CliException($"knowledge base '{kb.Name}' has no sources to sync");
            var results = new List<(Source Source, SyncProgress Last)>();
            if (context.Console.Profile.Capabilities.Interactive)
            {
                await context.Console.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn())
                    .StartAsync(async progress =>
                    {
                        foreach (var source in sources)
                        {
                            var task = progress.AddTask(Markup.Escape(source.Name), maxValue: 1);
                            results.Add((source, await RunAsync(session, source, p =>
                            {
                                task.MaxValue = Math.Max(1, p.DocumentsTotal);
                                task.Value = p.Done ? task.MaxValue : p.DocumentsDone;
                                task.Description = Markup.Escape($"{source.Name}: {p.Phase}");
                            }, ct)));
                        }
                    });
            }
            else
            {
                // Not a terminal: one line per progress message, so logs and scripts see the same progress.
                foreach (var source in sources)
                    results.Add((source, await RunAsync(session, source, p =>
                        context.Console.WriteLine($"{source.Name}: {p.Phase} {p.DocumentsDone}/{p.DocumentsTotal}{(p.CurrentUri.Length > 0 ? " " + p.CurrentUri : "")}"), ct)));
            }
            foreach (var (source, last) in results)
            {
                var c = last.Counts ?? new SyncCounts();
                context.Console.MarkupLineInterpolated(
                    $"{source.Name}: [bold]{last.Status}[/] — {c.Added} added, {c.Updated} updated, {c.Unchanged} unchanged, {c.Deleted} deleted, {c.Failed} failed, {c.ChunksWritten} chunks written");
            }
            var failed = results.FirstOrDefault(r => r.Last.Status == "failed");
            if (failed.Source is not null)
                throw new CliException($"sync of source '{failed.Source.Name}' failed: {failed.Last.Error}");
            return 0;
        });
        return command;
    }

    private static async Task<SyncProgress> RunAsync(GenieSession session, Source source, Action<SyncProgress> report, CancellationToken ct)
    {
        SyncProgress? last = null;
        using var call = session.Retrieval.SyncSource(new SyncSourceRequest { SourceId = source.Id }, await session.CallAsync(ct, SyncTimeout));
        await foreach (var progress in call.ResponseStream.ReadAllAsync(ct))
        {
            report(progress);
            last = progress;
        }
        return last ?? throw new CliException($"the sync of source '{source.Name}' ended without a result");
    }
}
