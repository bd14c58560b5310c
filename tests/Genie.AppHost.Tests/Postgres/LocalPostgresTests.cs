using System.Diagnostics;
using Genie.AppHost.Setup;
using Genie.AppHost.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Genie.AppHost.Tests.Postgres;

/// <summary>The local PostgreSQL resource of Program.cs (no connection string given), alone in the model.</summary>
public sealed class LocalPostgresTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_local_cluster_has_pgvector_keeps_data_across_apphost_runs_and_stops_with_the_app()
    {
        var state = GenieApp.NewStateDirectory();
        try
        {
            int postmaster;
            await using (var first = await StartDatabaseOnlyAsync(state))
            {
                postmaster = Processes.Pid(Assert.Single(first.Replicas("postgres")));
                await using var connection = new NpgsqlConnection(await first.Application.GetConnectionStringAsync("genie"));
                await connection.OpenAsync();
                await ExecuteAsync(connection, "CREATE TABLE kept (v vector(3)); INSERT INTO kept VALUES ('[1,2,3]')");
            }
            await WaitUntilGoneAsync(postmaster);

            await using var second = await StartDatabaseOnlyAsync(state);
            await using var again = new NpgsqlConnection(await second.Application.GetConnectionStringAsync("genie"));
            await again.OpenAsync();
            await using var read = new NpgsqlCommand("SELECT v::text FROM kept", again);
            Assert.Equal("[1,2,3]", await read.ExecuteScalarAsync());
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    [Fact]
    public async Task Missing_postgresql_binaries_stop_the_app_saying_what_to_install()
    {
        var empty = Directory.CreateTempSubdirectory("genie-no-postgres-").FullName;
        try
        {
            await using var app = await GenieApp.StartAsync(output,
                new Dictionary<string, string> { ["Genie:Postgres:BinDirectory"] = empty },
                ModelAdjustments.KeepOnly("postgres", "genie"), waitHealthy: []);
            await StoppedAsync(app);

            var failures = app.Application.Services.GetRequiredService<SetupFailures>();
            Assert.Equal(1, failures.ExitCode);
            Assert.StartsWith($"PostgreSQL is not installed in {empty}", failures.Message);
        }
        finally
        {
            Directory.Delete(empty);
        }
    }

    [Fact]
    public async Task An_unreachable_existing_server_stops_the_app_naming_the_server()
    {
        var port = Genie.Testing.FreePort.Next();
        await using var app = await GenieApp.StartAsync(output,
            new Dictionary<string, string> { ["ConnectionStrings:genie"] = $"Host=127.0.0.1;Port={port};Database=genie;Username=postgres;Timeout=3" },
            ModelAdjustments.KeepOnly("genie"), waitHealthy: []);
        await StoppedAsync(app);

        Assert.StartsWith($"Cannot connect to PostgreSQL at 127.0.0.1:{port} (existing server), given by ConnectionStrings__genie or GENIE_POSTGRES",
            app.Application.Services.GetRequiredService<SetupFailures>().Message);
    }

    [Fact]
    public async Task Missing_pgvector_is_one_clear_line_and_a_non_zero_exit_without_a_stack_trace()
    {
        Assert.True(PostgresInstallWithoutPgVector.SystemInstallExists, "PostgreSQL 15 must be installed (scripts/install-deps.sh)");
        using var install = new PostgresInstallWithoutPgVector();
        var state = GenieApp.NewStateDirectory();
        try
        {
            // The real AppHost executable, as run.sh starts it, with nothing but configuration changed.
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Genie.AppHost.dll"));
            start.Environment["Genie__StateDirectory"] = state;
            start.Environment["Genie__Postgres__BinDirectory"] = install.BinDirectory;
            start.Environment["Genie__Ollama__Url"] = $"http://127.0.0.1:{Genie.Testing.FreePort.Next()}";
            start.Environment["Genie__Portal__Port"] = Genie.Testing.FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
            start.Environment["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true";
            start.Environment["ASPNETCORE_URLS"] = $"http://localhost:{Genie.Testing.FreePort.Next()}";
            start.Environment["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://localhost:{Genie.Testing.FreePort.Next()}";
            start.Environment["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = $"http://localhost:{Genie.Testing.FreePort.Next()}";
            start.Environment.Remove("ConnectionStrings__genie");
            start.Environment.Remove("GENIE_POSTGRES");
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            try
            {
                await process.WaitForExitAsync().WaitAsync(GenieApp.StartTimeout);
            }
            finally
            {
                if (!process.HasExited)
                    process.Kill(); // SIGKILL: DCP, which watches this process, stops what it started
            }
            var text = await stdout + await stderr;
            output.WriteLine(text);

            Assert.Equal(1, process.ExitCode);
            var error = Assert.Single(text.Split('\n'), l => l.Contains("error:", StringComparison.Ordinal));
            Assert.Equal("error: pgvector is not installed: run scripts/install-deps.sh (builds it from Debian's source package).", error.TrimEnd());
            Assert.DoesNotContain("Unhandled exception", text);
            Assert.DoesNotContain("   at ", text);
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    private Task<GenieApp> StartDatabaseOnlyAsync(string state) =>
        GenieApp.StartAsync(output, adjust: ModelAdjustments.KeepOnly("postgres", "genie"), waitHealthy: ["genie"], stateDirectory: state);

    private static async Task StoppedAsync(GenieApp app)
    {
        var stopping = app.Application.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        await Task.Delay(Timeout.Infinite, stopping).ContinueWith(_ => { }, TaskScheduler.Default).WaitAsync(GenieApp.StartTimeout);
    }

    /// <summary>DCP stops the server after the app has stopped; give it a generous while.</summary>
    private static async Task WaitUntilGoneAsync(int pid)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (!Genie.Testing.ProcFs.IsGone(pid))
            await Task.Delay(200, timeout.Token);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
