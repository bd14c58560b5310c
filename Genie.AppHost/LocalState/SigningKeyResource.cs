using Genie.AppHost.Hosting;

namespace Genie.AppHost.LocalState;

/// <summary>
/// The HS256 key every service shares (<c>Genie:Auth:SigningKey</c>): taken from configuration, else
/// 48 random bytes generated once and kept in <c>.genie/signing-key</c> so tokens survive a restart.
/// </summary>
public sealed class SigningKeyResource(string name) : Resource(name), IReferenceable
{
    public const string ConfigurationKey = "Genie:Auth:SigningKey";

    public string? Value { get; private set; }

    internal override Task StartAsync(AppRun run, CancellationToken cancellationToken)
    {
        var configured = run.Configuration[ConfigurationKey];
        Value = string.IsNullOrWhiteSpace(configured)
            ? SecretFile.ReadOrCreate(Path.Combine(run.StateDirectory, "signing-key"), () => SecretFile.RandomBase64(48)).Value
            : configured;
        MarkReady();
        return Task.CompletedTask;
    }

    public async Task AddEnvironmentAsync(IDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        await Ready.WaitAsync(cancellationToken);
        environment["Genie__Auth__SigningKey"] = Value!;
    }

    internal override IEnumerable<ResourceSnapshot> Snapshot() => [];
}
