using System.CommandLine;
using Genie.Contracts.Lms.V1;
using Spectre.Console;

namespace Genie.Cli.Commands;

/// <summary><c>genie progress</c>: the Learning Bot's view of your TalentLMS courses.</summary>
public static class ProgressCommand
{
    public static Command Create(CommandContext context)
    {
        var command = new Command("progress", "Your assigned courses: completion, due dates and the next unit to study.");
        command.SetAction(async (_, ct) =>
        {
            using var session = context.OpenSession();
            var progress = await session.UnaryAsync(o => session.Lms.GetMyProgressAsync(new GetMyProgressRequest(), o), ct);
            if (!progress.Matched)
            {
                context.Console.WriteLine($"No TalentLMS account matches {progress.Email} yet, so no courses are assigned.");
                return 0;
            }
            context.Console.MarkupLineInterpolated($"[bold]{progress.Name}[/]: {progress.OverallCompletionPercent}% overall");
            var table = new Table().AddColumns("Course", "Done", "Status", "Due", "Next unit");
            foreach (var c in progress.Courses)
                table.AddRow(
                    Markup.Escape(c.CourseName),
                    $"{c.CompletionPercent}%",
                    Markup.Escape(c.StatusText),
                    c.DueAt?.ToDateTime().ToString("yyyy-MM-dd") ?? "",
                    Markup.Escape(c.NextUnit is { } next ? $"{next.Name} {next.Url}" : "—"));
            context.Console.Write(table);
            if (progress.DataAsOf is not null)
                context.Console.MarkupLineInterpolated($"[grey]as of {progress.DataAsOf.ToDateTime().ToLocalTime():yyyy-MM-dd HH:mm}[/]");
            return 0;
        });
        return command;
    }
}
