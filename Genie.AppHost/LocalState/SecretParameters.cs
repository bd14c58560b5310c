using System.Text.Json;
using Genie.AppHost.Setup;
using Microsoft.Extensions.Configuration;

namespace Genie.AppHost.LocalState;

/// <summary>The portal's first administrator: e-mail and password parameters, and whether this run generated the password.</summary>
public sealed record FirstAdmin(IResourceBuilder<ParameterResource> Email, IResourceBuilder<ParameterResource> Password, string StoredIn)
{
    internal StoredSecret? Generated { get; init; }

    public bool PasswordGeneratedNow => Generated?.GeneratedNow == true;
}

public static class SecretParameters
{
    public const string SigningKeyKey = "Genie:Auth:SigningKey";
    public const string AdminEmailKey = "Genie:Admin:Email";
    public const string AdminPasswordKey = "Genie:Admin:Password";
    public const string DefaultAdminEmail = "admin@genie.local";

    /// <summary>
    /// The HS256 key every service shares: <c>Parameters:&lt;name&gt;</c> or <c>Genie:Auth:SigningKey</c>
    /// when set, else 48 random bytes generated once and kept in <c>.genie/signing-key</c>.
    /// </summary>
    public static IResourceBuilder<ParameterResource> AddSigningKey(this IDistributedApplicationBuilder builder, string name)
    {
        var configured = builder.Configuration[SigningKeyKey];
        var path = Path.Combine(LocalStateDirectory.Resolve(builder.Configuration), "signing-key");
        return builder.AddParameter(name, new StoredSecret(() => configured is { Length: > 0 }
            ? (configured, false)
            : SecretFile.ReadOrCreate(path, () => SecretFile.RandomBase64(48))), secret: true);
    }

    /// <summary>
    /// The first administrator: <c>Genie:Admin:Email</c>/<c>Genie:Admin:Password</c> (or the
    /// parameters <c>&lt;name&gt;-email</c>/<c>&lt;name&gt;-password</c>) when set, else generated on the
    /// first run and kept in <c>.genie/admin.json</c>.
    /// </summary>
    public static FirstAdmin AddFirstAdmin(this IDistributedApplicationBuilder builder, string name)
    {
        var configuredEmail = builder.Configuration[AdminEmailKey];
        var configuredPassword = builder.Configuration[AdminPasswordKey];
        var path = Path.Combine(LocalStateDirectory.Resolve(builder.Configuration), "admin.json");
        var stored = new Lazy<(StoredSignIn SignIn, bool Created)>(() =>
        {
            var (json, created) = SecretFile.ReadOrCreate(path, () => JsonSerializer.Serialize(new StoredSignIn(
                string.IsNullOrWhiteSpace(configuredEmail) ? DefaultAdminEmail : configuredEmail, SecretFile.RandomPassword(20))));
            var signIn = JsonSerializer.Deserialize<StoredSignIn>(json) ?? throw new SetupException($"{path} is not valid: delete it to generate a new admin sign-in.");
            return (signIn, created);
        });

        var email = builder.AddParameter($"{name}-email", new StoredSecret(() => configuredEmail is { Length: > 0 }
            ? (configuredEmail, false)
            : configuredPassword is { Length: > 0 } ? (DefaultAdminEmail, false) : (stored.Value.SignIn.Email, false)));
        var password = new StoredSecret(() => configuredPassword is { Length: > 0 }
            ? (configuredPassword, false)
            : (stored.Value.SignIn.Password, stored.Value.Created));
        return new FirstAdmin(email, builder.AddParameter($"{name}-password", password, secret: true), path) { Generated = password };
    }

    private sealed record StoredSignIn(string Email, string Password);
}
