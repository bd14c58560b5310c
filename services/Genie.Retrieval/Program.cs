using Genie.Contracts.Retrieval.V1;
using Genie.Retrieval;
using Genie.ServiceDefaults;
using Genie.ServiceDefaults.Database;
using Genie.ServiceDefaults.Grpc.Server;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("retrieval");
builder.AddGenieDatabase("retrieval", typeof(Program).Assembly);
builder.Services.AddGrpcService<RetrievalHandler>(RetrievalReflection.Descriptor.Services[0]);

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
