using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Genie.Deploy.Tests.Rendering;
using Genie.Testing;

namespace Genie.Deploy.Tests.Manifests;

/// <summary>What every overlay of deploy/kubernetes renders, checked object by object.</summary>
public sealed partial class ManifestTests
{
    public static TheoryData<string> Overlays => new(Kustomize.Overlays);

    /// <summary>The services in the repository (services/Genie.X → x), each needs a Deployment.</summary>
    private static readonly string[] Services = Directory.GetDirectories(Path.Combine(RepoPaths.Root, "services"))
        .Select(d => Path.GetFileName(d)!.Replace("Genie.", "").ToLowerInvariant()).Order().ToArray();

    [Fact]
    public void Both_overlays_exist() =>
        Assert.Equal(["dev", "production"], Kustomize.Overlays);

    [Theory, MemberData(nameof(Overlays))]
    public async Task Every_object_is_valid_against_the_kubernetes_and_cloudnativepg_schemas(string overlay)
    {
        var objects = await RenderedOverlays.GetAsync(overlay);
        Assert.Contains(objects, o => (string?)o["apiVersion"] == "postgresql.cnpg.io/v1");

        var results = await ValidateAsync(objects);

        Assert.Equal(objects.Count, results.Count);
        var invalid = results.Where(r => !r.Valid).Select(r => $"{r.Kind} {r.Name}: {r.Error}").ToList();
        Assert.True(invalid.Count == 0, string.Join("\n", invalid));
    }

    [Fact]
    public async Task The_schema_check_rejects_a_wrong_field_in_a_deployment_and_in_the_postgres_cluster()
    {
        var objects = await RenderedOverlays.GetAsync("production");
        var deployment = objects.Named("Deployment", "agent").DeepClone().AsObject();
        deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["ports"]![0]!["containerPort"] = "grpc";
        var cluster = objects.Named("Cluster", "genie-db").DeepClone().AsObject();
        cluster["spec"]!["instances"] = "three";
        var unknown = new JsonObject { ["apiVersion"] = "example.com/v1", ["kind"] = "Widget", ["metadata"] = new JsonObject { ["name"] = "w" } };

        var results = await ValidateAsync([deployment, cluster, unknown]);

        Assert.All(results, r => Assert.False(r.Valid));
        Assert.Contains("containerPort", results[0].Error);
        Assert.Contains("instances", results[1].Error);
        Assert.Contains("no schema", results[2].Error);
    }

    [Theory, MemberData(nameof(Overlays))]
    public async Task Every_service_has_a_deployment_a_headless_service_and_a_disruption_budget(string overlay)
    {
        var objects = await RenderedOverlays.GetAsync(overlay);
        Assert.NotEmpty(Services);
        foreach (var service in Services)
        {
            objects.Named("Deployment", service);
            var k8sService = objects.Named("Service", service);
            Assert.Equal("None", (string?)k8sService["spec"]!["clusterIP"]);
            Assert.Contains(k8sService["spec"]!["ports"]!.AsArray(), p => (string?)p!["name"] == "grpc" && (string?)p["appProtocol"] == "kubernetes.io/h2c");
            var budget = objects.OfKind("PodDisruptionBudget").Single(p => SelectsApp(p["spec"]!["selector"]!, service));
            Assert.NotNull(budget["spec"]!["maxUnavailable"] ?? budget["spec"]!["minAvailable"]);
        }
    }

    [Theory, MemberData(nameof(Overlays))]
    public async Task Agent_retrieval_and_web_scale_on_cpu(string overlay)
    {
        var objects = await RenderedOverlays.GetAsync(overlay);
        foreach (var service in new[] { "agent", "retrieval", "web" })
        {
            var hpa = objects.OfKind("HorizontalPodAutoscaler").Single(h => (string?)h["spec"]!["scaleTargetRef"]!["name"] == service);
            Assert.Equal("Deployment", (string?)hpa["spec"]!["scaleTargetRef"]!["kind"]);
            Assert.True((int)hpa["spec"]!["maxReplicas"]! > (int)hpa["spec"]!["minReplicas"]!);
            Assert.Contains(hpa["spec"]!["metrics"]!.AsArray(), m => (string?)m!["resource"]?["name"] == "cpu");
            // Requests are what the utilisation is measured against.
            Assert.NotNull(Containers(objects.Named("Deployment", service)).Single()["resources"]!["requests"]!["cpu"]);
        }
    }

    [Theory, MemberData(nameof(Overlays))]
    public async Task Every_container_has_probes_limits_and_runs_as_non_root_on_a_read_only_file_system(string overlay)
    {
        var objects = await RenderedOverlays.GetAsync(overlay);
        var workloads = objects.Where(o => o["spec"]?["template"]?["spec"]?["containers"] is not null).ToList();
        Assert.Equal(Services.Length, workloads.Count);
        foreach (var workload in workloads)
        {
            var pod = workload["spec"]!["template"]!["spec"]!;
            foreach (var container in Containers(workload))
            {
                var at = $"{workload.Name()}/{container["name"]}";
                var ports = container["ports"]!.AsArray().Select(p => (string?)p!["name"]).ToList();
                AssertHttpProbe(container["readinessProbe"], "/health", ports, at);
                AssertHttpProbe(container["livenessProbe"], "/alive", ports, at);
                AssertHttpProbe(container["startupProbe"], "/alive", ports, at);

                foreach (var kind in new[] { "requests", "limits" })
                foreach (var resource in new[] { "cpu", "memory" })
                    Assert.True(container["resources"]?[kind]?[resource] is not null, $"{at}: no {kind}.{resource}");

                var security = container["securityContext"]!;
                Assert.True((bool?)security["runAsNonRoot"] ?? (bool?)pod["securityContext"]?["runAsNonRoot"] ?? false, $"{at}: may run as root");
                Assert.NotEqual(0, (int?)security["runAsUser"] ?? (int?)pod["securityContext"]?["runAsUser"]);
                Assert.True((bool?)security["readOnlyRootFilesystem"], $"{at}: writable root file system");
                Assert.False((bool?)security["allowPrivilegeEscalation"] ?? true, $"{at}: privilege escalation allowed");
                Assert.Contains("ALL", security["capabilities"]!["drop"]!.AsArray().Select(c => (string?)c));
                // .NET needs a writable /tmp.
                Assert.Contains(container["volumeMounts"]!.AsArray(), m => (string?)m!["mountPath"] == "/tmp");
            }
            Assert.False((bool?)pod["automountServiceAccountToken"] ?? true, $"{workload.Name()} mounts an API token it does not use");
            Assert.NotEmpty(pod["topologySpreadConstraints"]!.AsArray());
        }
    }

    [Theory, MemberData(nameof(Overlays))]
    public async Task No_secret_value_is_committed(string overlay)
    {
        var objects = await RenderedOverlays.GetAsync(overlay);
        Assert.Empty(objects.OfKind("Secret"));
        foreach (var workload in objects.OfKind("Deployment"))
        foreach (var container in Containers(workload))
        foreach (var variable in container["env"]!.AsArray())
        {
            var name = (string)variable!["name"]!;
            var value = (string?)variable["value"];
            if (SecretName().IsMatch(name))
                Assert.True(value is null && variable["valueFrom"]?["secretKeyRef"] is not null, $"{workload.Name()}: {name} is not taken from a Secret");
            if (value is not null && PasswordInConnectionString().Match(value) is { Success: true } password)
                Assert.Matches(@"^\$\([A-Z_]+\)$", password.Groups[1].Value);
        }
        // Nor in any file under deploy/: no Secret objects, no generators fed from committed files.
        foreach (var file in Directory.EnumerateFiles(Kustomize.DeployDirectory, "*", SearchOption.AllDirectories))
        {
            var text = File.ReadAllText(file);
            Assert.DoesNotMatch(@"(?m)^kind:\s*Secret\s*$", text);
            Assert.DoesNotContain("secretGenerator", text);
        }
    }

    [Theory, MemberData(nameof(Overlays))]
    public async Task Every_secret_key_the_manifests_read_is_created_by_the_readme_or_by_cloudnativepg(string overlay)
    {
        var objects = await RenderedOverlays.GetAsync(overlay);
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        var section = readme[readme.IndexOf("## Run on Kubernetes", StringComparison.Ordinal)..];
        var created = CreateSecretCommand().Matches(section)
            .SelectMany(m => LiteralKey().Matches(m.Value).Select(k => (m.Groups[1].Value, k.Groups[1].Value))).ToHashSet();
        // CloudNativePG creates <cluster>-app (username, password, …) and <cluster>-ca (ca.crt, …).
        var cluster = objects.OfKind("Cluster").Single().Name();
        bool ByOperator(string secret, string key) =>
            (secret == $"{cluster}-app" && key is "username" or "password") || (secret == $"{cluster}-ca" && key == "ca.crt");

        var referenced = new List<(string Secret, string Key)>();
        foreach (var node in Descendants(new JsonArray(objects.Select(o => (JsonNode)o.DeepClone()).ToArray())))
        {
            if (node["secretKeyRef"] is JsonObject secretKeyRef)
                referenced.Add(((string)secretKeyRef["name"]!, (string)secretKeyRef["key"]!));
            if (node["secret"]?["secretName"] is { } secretName)
                referenced.AddRange(node["secret"]!["items"]!.AsArray().Select(i => ((string)secretName!, (string)i!["key"]!)));
            if (node["s3Credentials"] is JsonObject s3)
                referenced.AddRange(s3.Select(e => ((string)e.Value!["name"]!, (string)e.Value["key"]!)));
        }
        Assert.Contains(("genie-auth", "signing-key"), referenced);
        foreach (var key in new[] { "bot-token", "app-token", "signing-secret" })
            Assert.Contains(("genie-slack", key), referenced);
        foreach (var (secret, key) in referenced.Distinct())
            Assert.True(created.Contains((secret, key)) || ByOperator(secret, key), $"Secret {secret} key {key}: neither README.md nor CloudNativePG creates it");
    }

    [Theory, MemberData(nameof(Overlays))]
    public async Task Clients_call_the_headless_services_on_their_grpc_port(string overlay)
    {
        var objects = await RenderedOverlays.GetAsync(overlay);
        var calls = 0;
        foreach (var workload in objects.OfKind("Deployment"))
        foreach (var variable in Containers(workload).Single()["env"]!.AsArray())
        {
            if (ServiceAddress().Match((string)variable!["name"]!) is not { Success: true } match)
                continue;
            calls++;
            var callee = match.Groups[1].Value;
            var address = new Uri((string)variable["value"]!);
            Assert.Equal(callee, address.Host);
            var port = objects.Named("Service", callee)["spec"]!["ports"]!.AsArray().Single(p => (string?)p!["name"] == "grpc")!;
            Assert.Equal((int)port["port"]!, address.Port);
        }
        Assert.True(calls >= 5, $"only {calls} service addresses");
    }

    [Theory, MemberData(nameof(Overlays))]
    public async Task Postgres_is_a_cloudnativepg_cluster_whose_image_has_pgvector(string overlay)
    {
        var objects = await RenderedOverlays.GetAsync(overlay);
        var cluster = objects.Named("Cluster", "genie-db")["spec"]!;
        Assert.Matches(@"^ghcr\.io/cloudnative-pg/postgresql:[0-9.]+-standard-", (string?)cluster["imageName"]);
        Assert.Equal("genie", (string?)cluster["bootstrap"]!["initdb"]!["database"]);
        Assert.Contains(cluster["bootstrap"]!["initdb"]!["postInitApplicationSQL"]!.AsArray(),
            s => Regex.IsMatch((string)s!, @"^CREATE EXTENSION IF NOT EXISTS vector\b", RegexOptions.IgnoreCase));
        if (overlay == "production")
        {
            Assert.Equal(3, (int)cluster["instances"]!);
            Assert.StartsWith("s3://", (string?)cluster["backup"]!["barmanObjectStore"]!["destinationPath"]);
            var scheduled = objects.OfKind("ScheduledBackup").Single();
            Assert.Equal("genie-db", (string?)scheduled["spec"]!["cluster"]!["name"]);
        }
    }

    [Theory, MemberData(nameof(Overlays))]
    public async Task Only_the_portal_and_the_slack_endpoints_are_reachable_from_outside(string overlay)
    {
        var objects = await RenderedOverlays.GetAsync(overlay);
        var ingress = objects.OfKind("Ingress").Single();
        var routes = ingress["spec"]!["rules"]!.AsArray().SelectMany(r => r!["http"]!["paths"]!.AsArray())
            .Select(p => (Path: (string?)p!["path"], Service: (string?)p["backend"]!["service"]!["name"])).ToList();
        Assert.Contains(("/", "web"), routes);
        // Slack's Events API posts to /slack/events|interactivity|commands; nothing else of the Slack service is routed.
        Assert.All(routes.Where(r => r.Service != "web"), r => Assert.Equal(("/slack/", "slack"), r));
        var reachable = routes.Select(r => r.Service).ToHashSet();
        Assert.DoesNotContain(objects.OfKind("Service"), s => (string?)s["spec"]!["type"] is "LoadBalancer" or "NodePort");

        var policies = objects.OfKind("NetworkPolicy").ToList();
        foreach (var service in Services)
        {
            var selecting = policies.Where(p => SelectsApp(p["spec"]!["podSelector"]!, service)).ToList();
            Assert.Contains(selecting, p => p["spec"]!["policyTypes"]!.AsArray().Select(t => (string?)t).Order().SequenceEqual(["Egress", "Ingress"])
                && p["spec"]!["ingress"] is null && p["spec"]!["egress"] is null);
            var fromOtherNamespaces = selecting.SelectMany(p => p["spec"]!["ingress"]?.AsArray() ?? [])
                .SelectMany(rule => rule!["from"]?.AsArray() ?? []).Where(peer => peer!["namespaceSelector"] is not null || peer["ipBlock"] is not null).ToList();
            if (reachable.Contains(service))
            {
                Assert.NotEmpty(fromOtherNamespaces);
                // From the Ingress controller only: no address ranges, no other namespace.
                Assert.All(fromOtherNamespaces, peer => Assert.Equal("ingress-nginx", (string?)peer!["namespaceSelector"]?["matchLabels"]?["kubernetes.io/metadata.name"]));
            }
            else
                Assert.Empty(fromOtherNamespaces);
        }
        if (overlay == "production")
        {
            Assert.NotNull(ingress["metadata"]!["annotations"]!["cert-manager.io/cluster-issuer"]);
            Assert.NotEmpty(ingress["spec"]!["tls"]!.AsArray());
        }
    }

    [Theory, MemberData(nameof(Overlays))]
    public async Task Telemetry_goes_to_a_collector_the_network_policies_let_through(string overlay)
    {
        var objects = await RenderedOverlays.GetAsync(overlay);
        var endpoint = new Uri((string)objects.OfKind("ConfigMap").Single(c => c["data"]?["OTEL_EXPORTER_OTLP_ENDPOINT"] is not null)["data"]!["OTEL_EXPORTER_OTLP_ENDPOINT"]!);
        var collectorNamespace = endpoint.Host.Split('.')[1];
        var allowed = objects.OfKind("NetworkPolicy").SelectMany(p => p["spec"]!["egress"]?.AsArray() ?? [])
            .Where(rule => rule!["ports"]!.AsArray().Any(p => (int?)p!["port"] == endpoint.Port))
            .SelectMany(rule => rule!["to"]!.AsArray())
            .Select(peer => (string?)peer!["namespaceSelector"]?["matchLabels"]?["kubernetes.io/metadata.name"]);
        Assert.Contains(collectorNamespace, allowed);
    }

    [Theory, MemberData(nameof(Overlays))]
    public async Task Every_pod_at_the_autoscalers_maximum_gets_its_connections_from_postgres(string overlay)
    {
        var objects = await RenderedOverlays.GetAsync(overlay);
        var connections = 0;
        foreach (var deployment in objects.OfKind("Deployment"))
        {
            var hpa = objects.OfKind("HorizontalPodAutoscaler").SingleOrDefault(h => (string?)h["spec"]!["scaleTargetRef"]!["name"] == deployment.Name());
            // Recreate stops the old pods before starting new ones: no surge pod.
            var surge = (string?)deployment["spec"]!["strategy"]?["type"] == "Recreate"
                ? 0 : (int)(deployment["spec"]!["strategy"]?["rollingUpdate"]?["maxSurge"] ?? 1)!;
            var pods = (int)(hpa?["spec"]!["maxReplicas"] ?? deployment["spec"]!["replicas"])! + surge;
            var connectionString = Containers(deployment).Single()["env"]!.AsArray()
                .Single(v => (string?)v!["name"] == "ConnectionStrings__genie")!["value"]!;
            var pool = new Npgsql.NpgsqlConnectionStringBuilder((string)connectionString!).MaxPoolSize;
            Assert.True(pool <= 20, $"{deployment.Name()}: {pool} connections per pod");
            connections += pods * pool;
        }
        var maxConnections = int.Parse((string)objects.Named("Cluster", "genie-db")["spec"]!["postgresql"]!["parameters"]!["max_connections"]!);
        Assert.True(connections <= maxConnections - 10, $"{connections} pooled connections at most, max_connections {maxConnections}");
    }

    private static IEnumerable<JsonObject> Containers(JsonObject workload) =>
        workload["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Select(c => c!.AsObject());

    private static IEnumerable<JsonObject> Descendants(JsonNode? node) => node switch
    {
        JsonObject o => new[] { o }.Concat(o.SelectMany(e => Descendants(e.Value))),
        JsonArray a => a.SelectMany(Descendants),
        _ => [],
    };

    private static bool SelectsApp(JsonNode selector, string app) =>
        (string?)selector["matchLabels"]?["app.kubernetes.io/name"] == app
        || (selector["matchExpressions"]?.AsArray().Any(e => (string?)e!["key"] == "app.kubernetes.io/name" && (string?)e["operator"] == "In"
            && e["values"]!.AsArray().Any(v => (string?)v == app)) ?? false);

    private static void AssertHttpProbe(JsonNode? probe, string path, List<string?> ports, string at)
    {
        Assert.True(probe is not null, $"{at}: a probe is missing (wanted {path})");
        Assert.Equal(path, (string?)probe!["httpGet"]?["path"]);
        Assert.Contains((string?)probe["httpGet"]!["port"], ports);
    }

    private static async Task<List<ValidationResult>> ValidateAsync(IReadOnlyList<JsonObject> objects)
    {
        var file = Path.Combine(Path.GetTempPath(), $"genie-k8s-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, new JsonArray(objects.Select(o => (JsonNode)o.DeepClone()).ToArray()).ToJsonString());
        try
        {
            _ = RepoPaths.NodeModules;
            var result = await Tool.RunAsync("node", [Path.Combine(RepoPaths.NodeProject, "kubernetes", "validate.mjs"), file]);
            Assert.True(result.Error.Length == 0, result.Error);
            return result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => JsonSerializer.Deserialize<ValidationResult>(line, JsonSerializerOptions.Web)!).ToList();
        }
        finally
        {
            File.Delete(file);
        }
    }

    private sealed record ValidationResult(string Kind, string Name, bool Valid, string? Error);

    [GeneratedRegex("(?i)password|signingkey|secret|apikey|token")]
    private static partial Regex SecretName();

    [GeneratedRegex(@"(?i)\bPassword=([^;]*)")]
    private static partial Regex PasswordInConnectionString();

    [GeneratedRegex(@"create secret generic ([a-z0-9-]+)((?:\\\n|[^\n])*)")]
    private static partial Regex CreateSecretCommand();

    [GeneratedRegex(@"--from-literal=([A-Za-z0-9_.-]+)=")]
    private static partial Regex LiteralKey();

    [GeneratedRegex(@"^services__([a-z]+)__grpc__[0-9]+$")]
    private static partial Regex ServiceAddress();
}
