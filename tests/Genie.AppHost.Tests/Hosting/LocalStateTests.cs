using Genie.AppHost.LocalState;
using Genie.AppHost.Projects;
using Genie.AppHost.Testing;
using Genie.AppHost.Tests.FakeService;

namespace Genie.AppHost.Tests.Hosting;

public sealed class LocalStateTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Signing_key_and_admin_sign_in_are_generated_once_and_the_password_shown_only_then()
    {
        var state = Directory.CreateTempSubdirectory("genie-state-").FullName;
        try
        {
            var (first, firstEnvironment, firstOutput) = await RunOnceAsync(state, configure: null);
            var (second, secondEnvironment, secondOutput) = await RunOnceAsync(state, configure: null);

            Assert.True(first.GeneratedNow);
            Assert.False(second.GeneratedNow);
            Assert.Equal(first.Password, second.Password);
            Assert.Contains($"Sign in: {AdminSignInResource.DefaultEmail}  password: {first.Password}", firstOutput);
            Assert.DoesNotContain(first.Password!, secondOutput);

            var key = Value(firstEnvironment, "Genie__Auth__SigningKey");
            Assert.Equal(48, Convert.FromBase64String(key).Length);
            Assert.Equal(key, Value(secondEnvironment, "Genie__Auth__SigningKey"));
            Assert.Equal(first.Password, Value(firstEnvironment, "Genie__Admin__Password"));
            if (!OperatingSystem.IsWindows())
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(state, "signing-key")));
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    [Fact]
    public async Task Configured_admin_credentials_win_and_are_not_printed()
    {
        var state = Directory.CreateTempSubdirectory("genie-state-").FullName;
        try
        {
            var (admin, environment, printed) = await RunOnceAsync(state, options =>
            {
                options.Configuration["Genie:Admin:Email"] = "owner@example.com";
                options.Configuration["Genie:Admin:Password"] = "correct horse battery staple";
            });

            Assert.True(admin.FromConfiguration);
            Assert.Equal("owner@example.com", Value(environment, "Genie__Admin__Email"));
            Assert.Equal("correct horse battery staple", Value(environment, "Genie__Admin__Password"));
            Assert.Contains("Sign in: owner@example.com  (password from Genie:Admin:Password)", printed);
            Assert.DoesNotContain("correct horse", printed);
            Assert.False(File.Exists(Path.Combine(state, "admin.json")));
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    private async Task<(AdminSignInResource Admin, string[] Environment, string Output)> RunOnceAsync(string state, Action<AppHostTestOptions>? configure)
    {
        var options = new AppHostTestOptions { StateDirectory = state, Output = new TestOutputWriter(output) };
        configure?.Invoke(options);
        var builder = DistributedApplicationTestingBuilder.CreateBuilder(options);
        var key = builder.AddSigningKey("signing-key");
        var admin = builder.AddAdminSignIn("admin");
        builder.AddFakeService("portal").WithReference(key).WithReference(admin).AsPortal();
        await using var app = await builder.StartAsync();
        var environment = (await app.CreateHttpClient("portal").GetStringAsync("/env")).Split('\n');
        // The sign-in banner is printed by the console's next pass once everything is healthy.
        await FakeModel.EventuallyAsync(() => Task.FromResult(app.Output), o => o.Contains("Sign in:", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "the sign-in banner");
        return (admin.Resource, environment, app.Output);
    }

    private static string Value(string[] environment, string name) =>
        environment.Single(line => line.StartsWith(name + "=", StringComparison.Ordinal))[(name.Length + 1)..];
}
