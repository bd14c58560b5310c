using Genie.Contracts.Agent.V1;
using Genie.Agent;
using Genie.ServiceDefaults;
using Genie.ServiceDefaults.Database;
using Genie.ServiceDefaults.Grpc.Server;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("agent");
builder.AddGenieDatabase("agent", typeof(Program).Assembly);
builder.Services.AddGrpcService<AgentHandler>(AgentReflection.Descriptor.Services[0]);

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
