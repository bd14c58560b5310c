using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Genie.Deploy.Tests.Rendering;
using Genie.Testing;
using Npgsql;

namespace Genie.Deploy.Tests.Startup;

/// <summary>
/// The manifests and the code cannot drift: every service is started from its own build output with
/// exactly the environment its production Deployment gives it, and must become healthy. Only the
/// places change (loopback ports for pod ports and Service names, a throwaway PostgreSQL without TLS
/// for genie-db-rw); which settings exist and what they hold comes from the manifests.
/// </summary>
public sealed class ServicesStartFromTheManifestsTests
{
    private static readonly TimeSpan HealthyWithin = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Every_service_becomes_healthy_with_only_the_settings_its_production_deployment_gives_it()
    {
        var objects = await RenderedOverlays.GetAsync("production");
        var deployments = objects.OfKind("Deployment").ToList();
        var (secrets, database) = await ProvisionLikeCloudNativePgAsync();

        // A loopback port for every container port of every Deployment, reached by the Service of the same name.
        var ports = deployments.SelectMany(d => d["spec"]!["template"]!["spec"]!["containers"]![0]!["ports"]!.AsArray()
                .Select(p => (Service: d.Name(), Port: (int)p!["containerPort"]!)))
            .ToDictionary(k => k, _ => FreePort.Next());
        var services = objects.OfKind("Service").Select(s => s.Name()).ToHashSet();

        var started = new List<ServiceProcess>();
        try
        {
            foreach (var deployment in deployments)
            {
                var name = deployment.Name();
                var environment = ManifestEnvironment.For(deployment, objects, secrets);
                foreach (var key in environment.Keys.ToList())
                    environment[key] = OnLoopback(environment[key], name, ports, services);
                environment["ConnectionStrings__genie"] = OnTestDatabase(environment["ConnectionStrings__genie"], database);

                var httpUrl = new Uri(environment["Kestrel__Endpoints__http__Url"]);
                started.Add(ServiceProcess.StartProject(name, environment, new Uri(httpUrl, "/health")));
            }
            Assert.Equal(Directory.GetDirectories(Path.Combine(RepoPaths.Root, "services")).Length, started.Count);
            await Task.WhenAll(started.Select(s => s.WaitHealthyAsync(HealthyWithin)));
        }
        finally
        {
            foreach (var service in started)
                await service.DisposeAsync();
        }
    }

    /// <summary>
    /// What CloudNativePG and the README's commands create: database genie's owner role with a password
    /// (Secret genie-db-app), pgvector by postInitApplicationSQL, the signing key and the admin sign-in.
    /// </summary>
    private static async Task<(Dictionary<(string, string), string> Secrets, NpgsqlConnectionStringBuilder Database)> ProvisionLikeCloudNativePgAsync()
    {
        var cluster = await PostgresCluster.GetSharedAsync();
        var database = new NpgsqlConnectionStringBuilder(await cluster.CreateDatabaseAsync("deploy"));
        var role = $"genie_{Environment.ProcessId}_{Random.Shared.Next(100000)}";
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        await using (var admin = new NpgsqlConnection(database.ConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand(
                $"CREATE ROLE {role} LOGIN PASSWORD '{password}'; ALTER DATABASE \"{database.Database}\" OWNER TO {role}; ALTER SCHEMA public OWNER TO {role};", admin);
            await create.ExecuteNonQueryAsync();
        }
        var secrets = new Dictionary<(string, string), string>
        {
            [("genie-db-app", "username")] = role,
            [("genie-db-app", "password")] = password,
            [("genie-auth", "signing-key")] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)),
            [("genie-admin", "email")] = "admin@example.test",
            [("genie-admin", "password")] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(15)),
        };
        return (secrets, database);
    }

    /// <summary>http://*:5001 (own port) and http://agent:5001 (a Service) become the loopback ports standing for them.</summary>
    private static string OnLoopback(string value, string self, Dictionary<(string, int), int> ports, HashSet<string> services)
    {
        if (!Uri.TryCreate(value.Replace("://*:", "://wildcard:"), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            return value;
        var owner = uri.Host == "wildcard" ? self : services.Contains(uri.Host) ? uri.Host : null;
        if (owner is null)
            return value;
        Assert.True(ports.TryGetValue((owner, uri.Port), out var port), $"{self}: {value} names no port of {owner}'s pods");
        return new UriBuilder(uri) { Host = "127.0.0.1", Port = port }.Uri.ToString().TrimEnd('/');
    }

    /// <summary>The manifest's connection string, pointed at the throwaway cluster (which has no TLS).</summary>
    private static string OnTestDatabase(string fromManifest, NpgsqlConnectionStringBuilder test)
    {
        var builder = new NpgsqlConnectionStringBuilder(fromManifest);
        Assert.Equal("genie-db-rw", builder.Host);
        Assert.Equal("genie", builder.Database);
        Assert.Equal(SslMode.VerifyFull, builder.SslMode);
        builder.Host = test.Host;
        builder.Port = test.Port;
        builder.Database = test.Database;
        builder.SslMode = SslMode.Disable;
        builder.RootCertificate = null;
        return builder.ConnectionString;
    }
}
