using Microsoft.Extensions.Logging;

namespace Genie.LmsBridge.TalentLms;

/// <summary>Clients share the resilient "talentlms" HttpClient (<see cref="TalentLmsHttp"/>) and the configured options.</summary>
public sealed class TalentLmsClientFactory(IHttpClientFactory httpClients, TalentLmsClientOptions options, TimeProvider time, ILoggerFactory loggers)
{
    public TalentLmsClient Create(TalentLmsConnection connection) =>
        new(httpClients.CreateClient(TalentLmsHttp.ClientName), connection, options, time, loggers.CreateLogger<TalentLmsClient>());
}
