using System.CommandLine;
using Genie.Contracts.Agent.V1;
using Spectre.Console;

namespace Genie.Cli.Commands;

/// <summary><c>genie conversations list</c> and <c>genie conversations show ID</c>.</summary>
public static class ConversationCommands
{
    public static Command Create(CommandContext context)
    {
        var command = new Command("conversations", "Your conversations with Genie.");
        command.Subcommands.Add(List(context));
        command.Subcommands.Add(Show(context));
        return command;
    }

    private static Command List(CommandContext context)
    {
        var limit = new Option<int>("--limit") { Description = "How many, newest first (1 to 100).", DefaultValueFactory = _ => 20 };
        var command = new Command("list", "List your most recent conversations.") { limit };
        command.SetAction(async (parse, ct) =>
        {
            var n = parse.GetValue(limit);
            if (n is < 1 or > 100)
                throw new CliException("--limit must be between 1 and 100");
            using var session = context.OpenSession();
            var response = await session.UnaryAsync(o => session.Agent.ListConversationsAsync(new ListConversationsRequest { PageSize = n }, o), ct);
            if (response.Conversations.Count == 0)
            {
                context.Console.WriteLine("No conversations yet; start one with 'genie ask'.");
                return 0;
            }
            var table = new Table().AddColumns("Updated", "Title", "Bot", "Messages", "Id");
            foreach (var c in response.Conversations)
                table.AddRow(c.UpdatedAt?.ToDateTime().ToLocalTime().ToString("yyyy-MM-dd HH:mm") ?? "", Markup.Escape(c.Title), c.Bot, c.MessageCount.ToString(), c.Id);
            context.Console.Write(table);
            return 0;
        });
        return command;
    }

    private static Command Show(CommandContext context)
    {
        var id = new Argument<string>("id") { Description = "The conversation id (see 'genie conversations list')." };
        var command = new Command("show", "Show a conversation with its answers' citations.") { id };
        command.SetAction(async (parse, ct) =>
        {
            using var session = context.OpenSession();
            var conversation = await session.UnaryAsync(o => session.Agent.GetConversationAsync(new GetConversationRequest { ConversationId = parse.GetValue(id)?.Trim() ?? "" }, o), ct);
            context.Console.MarkupLineInterpolated($"[bold]{conversation.Summary.Title}[/] ({conversation.Summary.Bot})");
            foreach (var message in conversation.Messages)
            {
                context.Console.WriteLine();
                context.Console.MarkupLineInterpolated($"[bold]{(message.Role == "user" ? "You" : "Genie")}[/] [grey]{message.CreatedAt?.ToDateTime().ToLocalTime():yyyy-MM-dd HH:mm} · {message.Id}[/]");
                context.Console.WriteLine(message.Content);
                foreach (var c in message.Citations)
                    context.Console.MarkupLineInterpolated($"  [[{c.Marker}]] {c.DocumentTitle}{(c.HeadingPath.Length > 0 ? " — " + c.HeadingPath : "")} {c.Uri}");
            }
            return 0;
        });
        return command;
    }
}
