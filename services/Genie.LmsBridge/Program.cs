using Genie.LmsBridge;
using Genie.ServiceDefaults.Database;
using Genie.ServiceDefaults;
using Genie.ServiceDefaults.Rpc;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("lmsbridge");
builder.AddGenieDatabase("lms", typeof(Program).Assembly);
builder.AddLmsBridge();
builder.Services.AddGrpcService<LmsHandler>();

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
