using Genie.AppHost.Tests.Infrastructure;
using Genie.Testing;

namespace Genie.AppHost.Tests.EndToEnd;

/// <summary>
/// One run of the whole app (Program.cs) for the tests that only look at it: the test cluster's
/// database injected as ConnectionStrings:genie, two agent replicas, the portal on a port of its own
/// (ports not randomized, as when a user runs it), and the Aspire dashboard.
/// </summary>
public sealed class SharedApp : IAsyncLifetime
{
    private readonly MessageSinkOutput _output;

    public SharedApp(IMessageSink sink) => _output = new MessageSinkOutput(sink);

    public GenieApp App { get; private set; } = null!;

    public int PortalPort { get; } = FreePort.Next();

    /// <summary>The dashboard (on, for the browser test): address and the token its login URL carries.</summary>
    public Uri DashboardUrl { get; } = new($"http://localhost:{FreePort.Next()}");

    public string DashboardToken { get; } = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();

    public string AdminEmail => "admin@genie.test";

    public string AdminPassword { get; } = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(15));

    public string DatabaseConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var cluster = await PostgresCluster.GetSharedAsync();
        DatabaseConnectionString = await cluster.CreateDatabaseAsync("apphost");
        App = await GenieApp.StartAsync(_output, new Dictionary<string, string>
        {
            ["ConnectionStrings:genie"] = DatabaseConnectionString,
            ["Genie:Admin:Email"] = AdminEmail,
            ["Genie:Admin:Password"] = AdminPassword,
            // The dashboard over plain HTTP on loopback; the services export OTLP to it.
            ["ASPNETCORE_URLS"] = DashboardUrl.ToString().TrimEnd('/'),
            ["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://localhost:{FreePort.Next()}",
            ["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = $"http://localhost:{FreePort.Next()}",
            ["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true",
            ["ASPIRE_DASHBOARD_FRONTEND_BROWSERTOKEN"] = DashboardToken,
            ["Genie:Replicas:agent"] = "2",
            ["Genie:Portal:Port"] = PortalPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DcpPublisher:RandomizePorts"] = "false",
        }, dashboard: true);
    }

    public async Task DisposeAsync() => await App.DisposeAsync();

    /// <summary>Fixture output goes to the runner's diagnostic messages.</summary>
    private sealed class MessageSinkOutput(IMessageSink sink) : ITestOutputHelper
    {
        public void WriteLine(string message) => sink.OnMessage(new Xunit.Sdk.DiagnosticMessage(message));

        public void WriteLine(string format, params object[] args) => WriteLine(string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));
    }
}

[CollectionDefinition(Name)]
public sealed class SharedAppCollection : ICollectionFixture<SharedApp>
{
    public const string Name = "shared app";
}
