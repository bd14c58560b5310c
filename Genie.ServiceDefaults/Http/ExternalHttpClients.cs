using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;

namespace Genie.ServiceDefaults.Http;

/// <summary>
/// HttpClients for services outside (model servers, TalentLMS, Slack): each named client gets the standard resilience
/// handler with its own timeouts. Deliberately not <c>ConfigureHttpClientDefaults</c>: gRPC clients have their own
/// deadlines and retry policy and must not get a second one.
/// </summary>
public static class ExternalHttpClients
{
    /// <summary>The name of the HttpClient that talks to Ollama (chat and embeddings).</summary>
    public const string Ollama = "ollama";

    /// <summary>The name of the HttpClient that talks to OpenAI-compatible endpoints.</summary>
    public const string OpenAi = "openai";

    /// <param name="attemptTimeout">
    /// Longest wait for one attempt's response headers. A streamed body is read after the handler returned, so a long
    /// answer is never cut off, and never retried half-way.
    /// </param>
    /// <param name="retryPost">
    /// False for requests that must not repeat (a generation: a retry would only delay the fallback and bill twice);
    /// GETs are still retried.
    /// </param>
    public static IHttpClientBuilder AddExternalHttpClient(this IServiceCollection services, string name, TimeSpan attemptTimeout, bool retryPost,
        Action<HttpStandardResilienceOptions>? configure = null)
    {
        var client = services.AddHttpClient(name, http => http.Timeout = Timeout.InfiniteTimeSpan); // the pipeline times out
        client.AddStandardResilienceHandler(options =>
        {
            options.AttemptTimeout.Timeout = attemptTimeout;
            configure?.Invoke(options);
            if (!retryPost)
                options.Retry.DisableForUnsafeHttpMethods(); // wraps whatever ShouldHandle configure set
            // Room for every attempt and its back-off; the handler requires sampling at least twice the attempt timeout.
            options.TotalRequestTimeout.Timeout = attemptTimeout * (options.Retry.MaxRetryAttempts + 1) + TimeSpan.FromMinutes(1);
            options.CircuitBreaker.SamplingDuration = attemptTimeout * 2;
        });
        return client;
    }

    /// <summary>Ollama's HttpClient: failures carry Ollama's own error text (<see cref="OllamaErrorHandler"/>).</summary>
    public static IHttpClientBuilder AddOllamaHttpClient(this IServiceCollection services, TimeSpan attemptTimeout, bool retryPost)
    {
        services.AddTransient<OllamaErrorHandler>();
        // Added first, so it sees the final response after the resilience handler's retries.
        return services.AddHttpClient(Ollama).AddHttpMessageHandler<OllamaErrorHandler>()
            .Services.AddExternalHttpClient(Ollama, attemptTimeout, retryPost);
    }
}
