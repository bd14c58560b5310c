using Genie.Contracts.Lms.V1;
using Genie.LmsBridge;
using Genie.ServiceDefaults;
using Genie.ServiceDefaults.Database;
using Genie.ServiceDefaults.Grpc.Server;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("lmsbridge");
builder.AddGenieDatabase("lms", typeof(Program).Assembly);
builder.AddLmsBridge();
builder.Services.AddGrpcService<LmsHandler>(LmsReflection.Descriptor.Services[0]);

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
