namespace Genie.AppHost.Postgres;

/// <summary>What to tell the user when an extension is not installed on the server.</summary>
internal static class ExtensionAdvice
{
    public static string Missing(string extension, bool embedded, string? endpoint) => (extension, embedded) switch
    {
        ("vector", true) => "pgvector is not installed: run scripts/install-deps.sh (builds it from Debian's source package).",
        ("vector", false) => $"pgvector is not installed on the PostgreSQL server at {endpoint}: install it there (on Debian, scripts/install-deps.sh builds it from Debian's source package).",
        (_, true) => $"The PostgreSQL extension {extension} is not installed: install it for the local PostgreSQL (see scripts/install-deps.sh).",
        _ => $"The PostgreSQL extension {extension} is not installed on the server at {endpoint}: install it there.",
    };
}
