using Genie.AppHost.Hosting;
using Genie.AppHost.LocalState;
using Genie.AppHost.Ollama;
using Genie.AppHost.Postgres;
using Genie.AppHost.Projects;

// Genie Mentor, as it runs on one machine. Every service gets Aspire's variables
// (ConnectionStrings__genie, services__<name>__grpc__N, OTEL_SERVICE_NAME), so a real Aspire
// AppHost could run them unchanged. Replicas: --replicas agent=2 (or Genie:Replicas:agent=2).
var builder = DistributedApplication.CreateBuilder(args);

var signingKey = builder.AddSigningKey("signing-key");
var admin = builder.AddAdminSignIn("admin");

var postgres = builder.AddPostgres("postgres");
var db = postgres.AddDatabase("genie").WithPgVector();

var ollama = builder.AddOllama("ollama");

var retrieval = builder.AddProject("retrieval", "Genie.Retrieval")
    .WithReference(db).WaitFor(db)
    .WithReference(ollama)
    .WithReference(signingKey);

var lmsbridge = builder.AddProject("lmsbridge", "Genie.LmsBridge")
    .WithReference(db).WaitFor(db)
    .WithReference(signingKey);

var agent = builder.AddProject("agent", "Genie.Agent")
    .WithReference(db).WaitFor(db)
    .WithReference(ollama)
    .WithReference(retrieval).WaitFor(retrieval)
    .WithReference(lmsbridge).WaitFor(lmsbridge)
    .WithReference(signingKey);

builder.AddProject("web", "Genie.Web")
    .WithReference(db).WaitFor(db)
    .WithReference(agent).WaitFor(agent)
    .WithReference(retrieval).WaitFor(retrieval)
    .WithReference(lmsbridge).WaitFor(lmsbridge)
    .WithReference(signingKey)
    .WithReference(admin)
    .AsPortal();

return await builder.Build().RunAsync();
