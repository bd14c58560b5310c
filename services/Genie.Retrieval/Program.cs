using Genie.Retrieval;
using Genie.Retrieval.Eval;
using Genie.ServiceDefaults;
using Genie.ServiceDefaults.Limits;

if (args.Length > 0 && args[0] == "eval")
    return await EvalCommand.RunAsync(args[1..]);

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("retrieval");
builder.AddRetrieval();

var app = builder.Build();
app.UseGenieLimits();
app.MapDefaultEndpoints();
await app.RunAsync();
return 0;
