using Genie.AppHost.LocalState;
using Genie.AppHost.Ollama;
using Genie.AppHost.Postgres;
using Genie.AppHost.Restarts;
using Genie.AppHost.Services;
using Genie.AppHost.Setup;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

// Genie Mentor, as it runs on one machine, on .NET Aspire: DCP runs the processes, the dashboard
// shows resources, logs and traces. Options are configuration: --Genie:Replicas:agent=2,
// --Genie:Portal:Port=5080, ConnectionStrings__genie=… (an existing PostgreSQL), Genie__Ollama__Url=…
var builder = DistributedApplication.CreateBuilder(args);
builder.AddSetupFailures();
builder.RestartCrashedProjects();

var signingKey = builder.AddSigningKey("signing-key");
var admin = builder.AddFirstAdmin("admin");
var portalPort = builder.Configuration.GetValue("Genie:Portal:Port", 5080);
var portalUrl = builder.Configuration["Genie:Portal:PublicUrl"] ?? $"http://localhost:{portalPort}";
int Replicas(string service) => builder.Configuration.GetValue($"Genie:Replicas:{service}", 1);

var db = builder.AddPostgresDatabase("genie");
var ollama = builder.AddOllama("ollama");

var retrieval = builder.AddProject<Projects.Genie_Retrieval>("retrieval").AsGenieService()
    .WithReference(db).WaitFor(db)
    .WithReference(ollama)
    .WithEnvironment("Genie__Auth__SigningKey", signingKey)
    .WithReplicas(Replicas("retrieval"));

var lmsbridge = builder.AddProject<Projects.Genie_LmsBridge>("lmsbridge").AsGenieService()
    .WithReference(db).WaitFor(db)
    .WithEnvironment("Genie__Auth__SigningKey", signingKey)
    .WithReplicas(Replicas("lmsbridge"));

var agent = builder.AddProject<Projects.Genie_Agent>("agent").AsGenieService()
    .WithReference(db).WaitFor(db)
    .WithReference(ollama)
    .WithReference(retrieval).WaitFor(retrieval)
    .WithReference(lmsbridge).WaitFor(lmsbridge)
    .WithEnvironment("Genie__Auth__SigningKey", signingKey)
    .WithReplicas(Replicas("agent"));

var web = builder.AddProject<Projects.Genie_Web>("web").AsGenieService(httpPort: portalPort)
    .WithReference(db).WaitFor(db)
    .WithReference(agent).WaitFor(agent)
    .WithReference(retrieval).WaitFor(retrieval)
    .WithReference(lmsbridge).WaitFor(lmsbridge)
    .WithEnvironment("Genie__Auth__SigningKey", signingKey)
    .WithEnvironment("Genie__Admin__Email", admin.Email)
    .WithEnvironment("Genie__Admin__Password", admin.Password)
    .WithEnvironment("Genie__Web__PublicUrl", portalUrl)
    .WithExternalHttpEndpoints()
    .WithUrlForEndpoint(GenieServiceExtensions.HttpEndpoint, url => url.DisplayText = "Portal");
web.WithPortalBanner(web.GetEndpoint(GenieServiceExtensions.HttpEndpoint), admin);

// Slack: idle (and saying so in its log) until Genie:Slack:BotToken is set; see services/Genie.Slack/README.md.
var slack = builder.AddProject<Projects.Genie_Slack>("slack").AsGenieService()
    .WithReference(db).WaitFor(db)
    .WithReference(web).WaitFor(web)
    .WithReference(agent)
    .WithReference(lmsbridge)
    .WithEnvironment("Genie__Auth__SigningKey", signingKey)
    .WithEnvironment("Genie__Web__PublicUrl", portalUrl)
    .WithSlackSecrets(builder);
// Admin → Slack and welcome notices as Slack DMs (no WaitFor: the portal runs without Slack).
web.WithReference(slack);

return await builder.Build().RunGenieAsync();
