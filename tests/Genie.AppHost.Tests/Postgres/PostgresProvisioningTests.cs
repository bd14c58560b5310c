using Genie.Testing;
using System.Diagnostics;
using Genie.AppHost.Postgres;
using Genie.AppHost.Projects;
using Genie.AppHost.Testing;
using Npgsql;

namespace Genie.AppHost.Tests.Postgres;

public sealed class PostgresProvisioningTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_embedded_cluster_has_pgvector_keeps_data_between_runs_and_stops_with_the_app()
    {
        var options = new AppHostTestOptions { Output = new TestOutputWriter(output) };
        try
        {
            var first = await StartDatabaseOnlyAsync(options);
            var postmaster = first.Application.GetResource<PostgresServerResource>("postgres").EmbeddedProcessId;
            Assert.NotNull(postmaster);
            await using (var connection = new NpgsqlConnection(first.DatabaseConnectionString))
            {
                await connection.OpenAsync();
                await Execute(connection, "CREATE TABLE kept (v vector(3)); INSERT INTO kept VALUES ('[1,2,3]')");
            }
            Assert.Equal(0, await first.StopAsync());
            await first.DisposeAsync();
            Assert.True(ProcessTree.IsGone(postmaster.Value), "the postmaster is still running after shutdown");
            Assert.False(File.Exists(Path.Combine(options.StateDirectory, "postgres", "postmaster.pid")));

            await using var second = await StartDatabaseOnlyAsync(options);
            await using var again = new NpgsqlConnection(second.DatabaseConnectionString);
            await again.OpenAsync();
            await using var read = new NpgsqlCommand("SELECT v::text FROM kept", again);
            Assert.Equal("[1,2,3]", await read.ExecuteScalarAsync());
        }
        finally
        {
            Directory.Delete(options.StateDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task Missing_pgvector_is_one_clear_line_and_a_non_zero_exit_without_a_stack_trace()
    {
        Assert.True(PostgresInstallWithoutPgVector.SystemInstallExists, "PostgreSQL 15 must be installed (scripts/install-deps.sh)");
        using var install = new PostgresInstallWithoutPgVector();
        var state = Path.Combine(Path.GetTempPath(), "genie-apphost-novector-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            // The real AppHost executable, as run.sh starts it, with nothing but configuration changed.
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Genie.AppHost.dll"));
            start.Environment["Genie__StateDirectory"] = state;
            start.Environment["Genie__Postgres__BinDirectory"] = install.BinDirectory;
            start.Environment["Genie__Ollama__Url"] = "http://127.0.0.1:9";
            start.Environment.Remove("ConnectionStrings__genie");
            start.Environment.Remove("GENIE_POSTGRES");
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
            var text = await stdout + await stderr;
            output.WriteLine(text);

            Assert.NotEqual(0, process.ExitCode);
            var errors = text.Split('\n').Where(l => l.Contains("error:", StringComparison.Ordinal)).ToList();
            var error = Assert.Single(errors);
            Assert.EndsWith("error: pgvector is not installed: run scripts/install-deps.sh (builds it from Debian's source package).", error.TrimEnd());
            Assert.DoesNotContain("Unhandled exception", text);
            Assert.DoesNotContain("   at ", text);
            // The cluster it started to find out is stopped again.
            Assert.False(File.Exists(Path.Combine(state, "postgres", "postmaster.pid")));
        }
        finally
        {
            if (Directory.Exists(state))
                Directory.Delete(state, recursive: true);
        }
    }

    [Fact]
    public async Task Missing_postgresql_binaries_say_what_to_install()
    {
        var empty = Directory.CreateTempSubdirectory("genie-no-postgres-").FullName;
        var options = new AppHostTestOptions { Output = new TestOutputWriter(output), Configuration = { ["Genie:Postgres:BinDirectory"] = empty } };
        var builder = DistributedApplicationTestingBuilder.CreateBuilder(options);
        builder.AddPostgres("postgres").AddDatabase("genie").WithPgVector();

        var error = await Assert.ThrowsAsync<AppHostStartException>(builder.StartAsync);

        Assert.Contains($"error: PostgreSQL is not installed in {empty}", error.Output);
        Directory.Delete(empty);
    }

    [Fact]
    public async Task An_unreachable_existing_server_is_named_in_the_error()
    {
        var port = FreePort.Next();
        var options = new AppHostTestOptions
        {
            Output = new TestOutputWriter(output),
            ConnectionString = $"Host=127.0.0.1;Port={port};Database=genie;Username=postgres;Timeout=3",
        };
        var builder = DistributedApplicationTestingBuilder.CreateBuilder(options);
        builder.AddPostgres("postgres").AddDatabase("genie").WithPgVector();

        var error = await Assert.ThrowsAsync<AppHostStartException>(builder.StartAsync);

        Assert.Contains($"error: Cannot connect to PostgreSQL at 127.0.0.1:{port} (existing server), given by ConnectionStrings__genie or GENIE_POSTGRES", error.Output);
    }

    private static Task<TestApplication> StartDatabaseOnlyAsync(AppHostTestOptions options)
    {
        var builder = DistributedApplicationTestingBuilder.CreateBuilder(options);
        builder.AddPostgres("postgres").AddDatabase("genie").WithPgVector();
        return builder.StartAsync();
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
