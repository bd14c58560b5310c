using System.CommandLine;
using Genie.Contracts.Agent.V1;
using Spectre.Console;

namespace Genie.Cli.Commands;

/// <summary><c>genie feedback MESSAGE_ID up|down</c>: rate an answer.</summary>
public static class FeedbackCommand
{
    public static Command Create(CommandContext context)
    {
        var id = new Argument<string>("message-id") { Description = "The answer's message id (printed after each answer)." };
        var rating = new Argument<string>("rating") { Description = "up or down." };
        rating.AcceptOnlyFromAmong("up", "down");
        var comment = new Option<string?>("--comment") { Description = "Optional: what was good or wrong (up to 2000 characters)." };
        var command = new Command("feedback", "Rate one of Genie's answers, so its authors see what helps.") { id, rating, comment };
        command.SetAction(async (parse, ct) =>
        {
            using var session = context.OpenSession();
            var request = new SubmitFeedbackRequest
            {
                MessageId = parse.GetValue(id)?.Trim() ?? "",
                Rating = parse.GetValue(rating) == "up" ? Rating.Up : Rating.Down,
                Comment = parse.GetValue(comment)?.Trim() ?? "",
            };
            await session.UnaryAsync(o => session.Agent.SubmitFeedbackAsync(request, o), ct);
            context.Console.WriteLine("Thanks, feedback saved.");
            return 0;
        });
        return command;
    }
}
