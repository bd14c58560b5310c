using System.Reflection;
using Npgsql;

namespace Genie.ServiceDefaults.Database;

// Stand-in until the foundation's AddGenieDatabase is on main; deleted at that merge.
internal static class TemporaryDatabaseShim
{
    public static IHostApplicationBuilder AddGenieDatabase(this IHostApplicationBuilder builder, string schema, Assembly migrationsAssembly)
    {
        builder.Services.AddSingleton(sp => NpgsqlDataSource.Create(sp.GetRequiredService<IConfiguration>().GetConnectionString("genie")!));
        builder.Services.AddHostedService(sp => new Migrator(sp.GetRequiredService<NpgsqlDataSource>(), migrationsAssembly));
        return builder;
    }

    private sealed class Migrator(NpgsqlDataSource db, Assembly assembly) : IHostedService
    {
        public async Task StartAsync(CancellationToken ct)
        {
            await using var conn = await db.OpenConnectionAsync(ct);
            await using (var exists = new NpgsqlCommand("SELECT to_regclass('portal.users') IS NOT NULL", conn))
                if ((bool)(await exists.ExecuteScalarAsync(ct))!)
                    return;
            foreach (var name in assembly.GetManifestResourceNames().Where(n => n.EndsWith(".sql")).Order())
            {
                using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
                await using var cmd = new NpgsqlCommand(await reader.ReadToEndAsync(ct), conn);
                await cmd.ExecuteNonQueryAsync(ct);
            }
        }

        public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
    }
}
