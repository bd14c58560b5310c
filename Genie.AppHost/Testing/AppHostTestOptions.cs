namespace Genie.AppHost.Testing;

/// <summary>How a test runs the app model.</summary>
public sealed class AppHostTestOptions
{
    /// <summary>
    /// Connection string of a throwaway database (e.g. from PostgresCluster.CreateDatabaseAsync()).
    /// Null: the embedded cluster, created under <see cref="StateDirectory"/>.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>Keys, admin sign-in, logs (and the embedded cluster). A fresh temporary folder by default.</summary>
    public string StateDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "genie-apphost-" + Guid.NewGuid().ToString("N")[..12]);

    /// <summary>Replicas per project, as <c>--replicas name=N</c> would set them.</summary>
    public Dictionary<string, int> Replicas { get; } = [];

    /// <summary>Any further configuration (e.g. <c>Genie:Ollama:Url</c>). Ollama defaults to an address that never answers.</summary>
    public Dictionary<string, string?> Configuration { get; } = [];

    /// <summary>Where the AppHost's lines go as they happen (e.g. a test output adapter); always recorded too.</summary>
    public TextWriter? Output { get; set; }

    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromMinutes(3);

    internal Dictionary<string, string?> ToConfiguration()
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Genie:StateDirectory"] = StateDirectory,
            ["Genie:Ollama:Url"] = "http://127.0.0.1:9/", // discard port: nothing answers, so built-in models
        };
        if (ConnectionString is not null)
            values["ConnectionStrings:genie"] = ConnectionString;
        foreach (var (name, count) in Replicas)
            values[$"Genie:Replicas:{name}"] = count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (key, value) in Configuration)
            values[key] = value;
        return values;
    }
}
