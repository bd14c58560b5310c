using Genie.Agent;
using Genie.ServiceDefaults;
using Genie.ServiceDefaults.Database;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("agent");
builder.AddGenieDatabase("agent", typeof(Program).Assembly);
builder.AddAgent();

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
