using System.CommandLine;
using Genie.Cli.Config;
using Spectre.Console;

namespace Genie.Cli.Commands;

/// <summary><c>genie login</c>, <c>logout</c> and <c>whoami</c>.</summary>
public static class LoginCommands
{
    public const string TokenVariable = "GENIE_TOKEN";

    public static Command Login(CommandContext context)
    {
        var url = new Option<string>("--url")
        {
            Description = "Genie's gRPC address (the portal's grpc endpoint), e.g. http://localhost:5081. Default: GENIE_URL, else the address of the last login.",
        };
        var command = new Command("login", $"Exchange a personal access token (created in the portal under Access tokens) for a session. The token is read from {TokenVariable}, else asked for.") { url };
        command.SetAction(async (parse, ct) =>
        {
            var address = (parse.GetValue(url) ?? context.Environment.Variable("GENIE_URL") ?? CliConfig.Load(context.Environment.ConfigDirectory).Url).Trim().TrimEnd('/');
            if (address.Length == 0)
                throw new CliException("--url is required: Genie's gRPC address, e.g. --url http://localhost:5081");
            var token = (context.Environment.Variable(TokenVariable) ?? ReadToken(context)).Trim();
            if (token.Length == 0)
                throw new CliException($"no personal access token given (set {TokenVariable} or type it when asked)");
            using var session = await GenieSession.LoginAsync(context.Environment, address, token, ct);
            context.Console.MarkupLineInterpolated($"Logged in to [bold]{address}[/] as [bold]{session.Config.Email}[/] ({session.Config.Role}).");
            return 0;
        });
        return command;
    }

    public static Command Logout(CommandContext context)
    {
        var command = new Command("logout", "Forget the stored token and session. The token itself stays valid until you revoke it in the portal.");
        command.SetAction(_ =>
        {
            context.Console.WriteLine(CliConfig.Delete(context.Environment.ConfigDirectory) ? "Logged out." : "Not logged in.");
            return 0;
        });
        return command;
    }

    public static Command WhoAmI(CommandContext context)
    {
        var command = new Command("whoami", "Show who the stored token acts for (checked with the portal).");
        command.SetAction(async (_, ct) =>
        {
            using var session = context.OpenSession();
            await session.RefreshAsync(ct);
            var c = session.Config;
            context.Console.MarkupLineInterpolated($"[bold]{c.Email}[/] ({c.Role}) at {c.Url}");
            return 0;
        });
        return command;
    }

    private static string ReadToken(CommandContext context)
    {
        if (context.Console.Profile.Capabilities.Interactive)
            return context.Console.Prompt(new TextPrompt<string>("Personal access token:").Secret());
        return context.Environment.In.ReadLine() ?? "";
    }
}
