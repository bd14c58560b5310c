using Genie.Cli;

return await GenieCli.RunAsync(args, CliEnvironment.FromProcess());
