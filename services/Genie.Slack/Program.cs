using Genie.ServiceDefaults;
using Genie.ServiceDefaults.Database;
using Genie.Slack;
using Genie.Slack.Http;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("slack");
builder.AddGenieDatabase("slack", typeof(Program).Assembly);
builder.AddSlack();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapSlackEndpoints();
app.Run();
