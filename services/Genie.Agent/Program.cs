using Genie.Agent;
using Genie.ServiceDefaults;
using Genie.ServiceDefaults.Database;
using Genie.ServiceDefaults.Limits;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("agent");
builder.AddGenieDatabase("agent", typeof(Program).Assembly);
builder.AddAgent();

var app = builder.Build();
app.UseGenieLimits();
app.MapDefaultEndpoints();
app.Run();
