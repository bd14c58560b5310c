using System.Net;
using Genie.ServiceDefaults.Http;
using Microsoft.Extensions.Http.Resilience;

namespace Genie.LmsBridge.TalentLms;

/// <summary>
/// The HttpClient TalentLMS clients share: the standard resilience handler with <see cref="TalentLmsClientOptions"/>'s
/// attempt timeout, retries and back-off. POSTs (enrolments) are not retried. A 429 is left to
/// <see cref="TalentLmsClient"/>, which waits for TalentLMS's own reset time instead of a generic back-off.
/// </summary>
public static class TalentLmsHttp
{
    public const string ClientName = "talentlms";

    public static IServiceCollection AddTalentLmsHttpClient(this IServiceCollection services, TalentLmsClientOptions options)
    {
        services.AddExternalHttpClient(ClientName, options.AttemptTimeout, retryPost: false, resilience =>
        {
            resilience.Retry.MaxRetryAttempts = options.MaxRetries;
            resilience.Retry.Delay = options.BaseDelay;
            resilience.Retry.ShouldHandle = args => ValueTask.FromResult(
                args.Outcome.Result?.StatusCode != HttpStatusCode.TooManyRequests && HttpClientResiliencePredicates.IsTransient(args.Outcome));
        });
        return services;
    }
}
