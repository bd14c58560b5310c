using Genie.AppHost.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Genie.AppHost.Tests.LocalState;

/// <summary>The signing key and the first admin's password: Aspire parameters generated once, kept under .genie/, overridable.</summary>
public sealed class SecretParameterTests
{
    [Fact]
    public async Task The_signing_key_and_admin_password_are_generated_once_kept_owner_only_and_configured_values_win()
    {
        var state = GenieApp.NewStateDirectory();
        try
        {
            var first = await ParametersAsync(state);
            var second = await ParametersAsync(state);

            Assert.Equal(first, second);
            Assert.Equal(48, Convert.FromBase64String(first["signing-key"]).Length);
            Assert.Equal(20, first["admin-password"].Length);
            Assert.Equal("admin@genie.local", first["admin-email"]);
            foreach (var file in new[] { "signing-key", "admin.json" })
                if (!OperatingSystem.IsWindows())
                    Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(state, file)));
            Assert.Contains(first["admin-password"], await File.ReadAllTextAsync(Path.Combine(state, "admin.json")));

            var configured = await ParametersAsync(state,
                "--Genie:Auth:SigningKey=a-configured-signing-key-of-32-bytes-or-more", "--Genie:Admin:Email=lead@example.test", "--Genie:Admin:Password=chosen-by-the-admin");
            Assert.Equal("a-configured-signing-key-of-32-bytes-or-more", configured["signing-key"]);
            Assert.Equal("lead@example.test", configured["admin-email"]);
            Assert.Equal("chosen-by-the-admin", configured["admin-password"]);
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    /// <summary>The parameters' values as the AppHost resolves them (the model is built, not started).</summary>
    private static async Task<Dictionary<string, string>> ParametersAsync(string state, params string[] settings)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Genie_AppHost>([$"--Genie:StateDirectory={state}", .. settings]);
        await using var app = await builder.BuildAsync();
        var values = new Dictionary<string, string>();
        foreach (var parameter in app.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ParameterResource>())
            values[parameter.Name] = (await parameter.GetValueAsync(CancellationToken.None))!;
        return values;
    }
}
