using Aspire.Hosting.Publishing;

namespace Genie.AppHost.LocalState;

/// <summary>
/// A parameter's default kept under <c>.genie/</c>: generated on the first run and read back on later
/// runs (so tokens and sign-ins survive restarts). <see cref="GeneratedNow"/> tells the one run that made it.
/// </summary>
internal sealed class StoredSecret(Func<(string Value, bool Created)> readOrCreate) : ParameterDefault
{
    private readonly Lazy<(string Value, bool Created)> _value = new(readOrCreate);

    public bool GeneratedNow => _value.IsValueCreated && _value.Value.Created;

    public override string GetDefaultValue() => _value.Value.Value;

    // Local development only: a generated secret is never written to a deployment manifest.
    public override void WriteToManifest(ManifestPublishingContext context) =>
        throw new NotSupportedException("Genie's generated secrets are for local runs; set the parameter explicitly to publish.");
}
