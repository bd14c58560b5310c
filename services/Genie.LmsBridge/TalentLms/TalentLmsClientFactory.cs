using Microsoft.Extensions.Logging;

namespace Genie.LmsBridge.TalentLms;

/// <summary>Clients share one HttpClient (pooled connections) and the configured resilience options.</summary>
public sealed class TalentLmsClientFactory(HttpClient http, TalentLmsClientOptions options, TimeProvider time, ILoggerFactory loggers)
{
    public TalentLmsClient Create(TalentLmsConnection connection) =>
        new(http, connection, options, time, loggers.CreateLogger<TalentLmsClient>());
}
