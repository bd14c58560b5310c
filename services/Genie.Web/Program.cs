using Genie.ServiceDefaults;
using Genie.ServiceDefaults.Database;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("web");
builder.AddGenieDatabase("portal", typeof(Program).Assembly);

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
