using Genie.ServiceDefaults;
using Genie.ServiceDefaults.Database;
using Genie.ServiceDefaults.Rpc;
using Genie.Slack;
using Genie.Slack.Admin;
using Genie.Slack.Http;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("slack");
builder.AddGenieDatabase("slack", typeof(Program).Assembly);
builder.AddSlack();
builder.Services.AddGrpcService<SlackAdminHandler>();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapSlackEndpoints();
app.Run();
