using System.CommandLine;
using Genie.Cli.Commands;
using Grpc.Core;

namespace Genie.Cli;

/// <summary>The <c>genie</c> command tree, and the one place errors become a single line and an exit code.</summary>
public static class GenieCli
{
    public static async Task<int> RunAsync(string[] args, CliEnvironment environment, CancellationToken ct = default)
    {
        var root = new RootCommand("Genie Mentor from your terminal: ask the onboarding bot, search the docs, sync knowledge bases, follow your learning.");
        var context = new CommandContext(environment);
        foreach (var command in new[]
                 {
                     LoginCommands.Login(context), LoginCommands.Logout(context), LoginCommands.WhoAmI(context),
                     AskCommand.Create(context), SearchCommand.Create(context), KnowledgeBaseCommands.Create(context),
                     ConversationCommands.Create(context), ProgressCommand.Create(context), FeedbackCommand.Create(context),
                     McpCommand.Create(context),
                 })
            root.Subcommands.Add(command);

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            var command = string.Join(' ', parsed.CommandResult.Command.Name == root.Name ? ["genie"] : ["genie", .. CommandPath(parsed.CommandResult)]);
            await environment.Error.WriteLineAsync($"genie: {parsed.Errors[0].Message} (see '{command} --help')");
            return 2;
        }
        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration
            {
                Output = environment.Out,
                Error = environment.Error,
                EnableDefaultExceptionHandler = false,
            }, ct);
        }
        catch (Exception e)
        {
            await environment.Error.WriteLineAsync("genie: " + OneLine(e, context));
            return 1;
        }
    }

    private static IEnumerable<string> CommandPath(System.CommandLine.Parsing.CommandResult result)
    {
        var names = new Stack<string>();
        for (var r = result; r.Parent is System.CommandLine.Parsing.CommandResult parent; r = parent)
            names.Push(r.Command.Name);
        return names;
    }

    /// <summary>Plain words for what went wrong; never a stack trace.</summary>
    private static string OneLine(Exception e, CommandContext context) => e switch
    {
        CliException cli => cli.Message,
        RpcException { StatusCode: StatusCode.Unavailable } rpc => $"cannot reach Genie ({Flatten(rpc.Status.Detail)}); is the address right and the service running?",
        RpcException { StatusCode: StatusCode.Unauthenticated } => "Genie did not accept your credentials; run 'genie login' again",
        RpcException { StatusCode: StatusCode.PermissionDenied } rpc => "not allowed: " + Flatten(rpc.Status.Detail),
        RpcException { StatusCode: StatusCode.NotFound } rpc => "not found: " + Flatten(rpc.Status.Detail),
        RpcException { StatusCode: StatusCode.DeadlineExceeded } => "Genie did not answer in time",
        RpcException { StatusCode: StatusCode.Cancelled } => "cancelled",
        RpcException rpc => Flatten(rpc.Status.Detail is { Length: > 0 } detail ? detail : rpc.StatusCode.ToString()),
        OperationCanceledException => "cancelled",
        HttpRequestException http => "cannot reach Genie: " + Flatten(http.Message),
        IOException io => Flatten(io.Message),
        UnauthorizedAccessException access => $"cannot use {context.Environment.ConfigDirectory}: {Flatten(access.Message)}",
        _ => Flatten(e.Message),
    };

    private static string Flatten(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();
}
