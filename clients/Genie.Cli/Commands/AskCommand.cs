using System.CommandLine;
using Genie.Contracts.Agent.V1;
using Grpc.Core;
using Spectre.Console;

namespace Genie.Cli.Commands;

/// <summary><c>genie ask "question"</c>: the answer streamed as it is written, then its numbered citations.</summary>
public static class AskCommand
{
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromMinutes(5);

    public static Command Create(CommandContext context)
    {
        var question = new Argument<string>("question") { Description = "What to ask, in quotes." };
        var kb = new Option<string?>("--kb") { Description = "Only use this knowledge base (name or id)." };
        var conversation = new Option<string?>("--conversation") { Description = "Continue this conversation (id from an earlier answer or 'genie conversations list')." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object (answer, citations, ids) instead of streaming text." };
        var command = new Command("ask", "Ask the Onboarding Bot a question about the documentation you may read.") { question, kb, conversation, json };
        command.SetAction(async (parse, ct) =>
        {
            var text = parse.GetValue(question)?.Trim() ?? "";
            if (text.Length == 0)
                throw new CliException("the question is empty");
            using var session = context.OpenSession();
            var request = new ChatRequest { Message = text, ConversationId = parse.GetValue(conversation)?.Trim() ?? "" };
            if (parse.GetValue(kb) is { Length: > 0 } name)
                request.KnowledgeBaseIds.Add((await KnowledgeBaseLookup.FindAsync(session, name, ct)).Id);
            var asJson = parse.GetValue(json);
            var answer = new System.Text.StringBuilder();
            var citations = new List<Citation>();
            ChatStarted? started = null;
            ChatCompleted? completed = null;
            using var call = session.Agent.Chat(request, await session.CallAsync(ct, AnswerTimeout));
            await foreach (var e in call.ResponseStream.ReadAllAsync(ct))
            {
                switch (e.EventCase)
                {
                    case ChatEvent.EventOneofCase.Started:
                        started = e.Started;
                        break;
                    case ChatEvent.EventOneofCase.Delta:
                        answer.Append(e.Delta.Text);
                        if (!asJson)
                        {
                            context.Console.Write(e.Delta.Text);
                            await context.Environment.Out.FlushAsync(ct);
                        }
                        break;
                    case ChatEvent.EventOneofCase.Fallback:
                        answer.Clear();
                        if (!asJson)
                            context.Console.MarkupLineInterpolated($"\n[yellow]({e.Fallback.Reason}; {e.Fallback.Model} answers instead)[/]");
                        break;
                    case ChatEvent.EventOneofCase.Citations:
                        citations.AddRange(e.Citations.Items);
                        break;
                    case ChatEvent.EventOneofCase.Completed:
                        completed = e.Completed;
                        break;
                }
            }
            if (asJson)
            {
                await JsonOutput.WriteAsync(context, new
                {
                    conversationId = completed?.ConversationId ?? started?.ConversationId ?? "",
                    messageId = completed?.MessageId ?? started?.MessageId ?? "",
                    answer = answer.ToString(),
                    citations = citations.Select(c => new { marker = c.Marker, title = c.DocumentTitle, headingPath = c.HeadingPath, uri = c.Uri, snippet = c.Snippet, source = c.Source, knowledgeBaseId = c.KnowledgeBaseId, score = c.Score }),
                    model = completed?.Model ?? "",
                    notCovered = completed?.NotCovered ?? false,
                    incomplete = completed?.Incomplete ?? true,
                });
                return 0;
            }
            context.Console.WriteLine();
            if (citations.Count > 0)
            {
                context.Console.WriteLine();
                context.Console.MarkupLine("[bold]Sources[/]");
                foreach (var c in citations)
                {
                    context.Console.MarkupLineInterpolated($"[[{c.Marker}]] [bold]{c.DocumentTitle}[/]{(c.HeadingPath.Length > 0 ? " — " + c.HeadingPath : "")}");
                    if (c.Uri.Length > 0)
                        context.Console.WriteLine("    " + c.Uri);
                }
            }
            if (completed is not null)
                context.Console.MarkupLineInterpolated($"[grey]conversation {completed.ConversationId} · message {completed.MessageId} · 'genie feedback {completed.MessageId} up|down'[/]");
            return 0;
        });
        return command;
    }
}
