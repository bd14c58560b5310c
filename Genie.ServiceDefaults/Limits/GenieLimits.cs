using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Genie.ServiceDefaults.Limits;

/// <summary>
/// Back-pressure for the expensive calls (chat streams, searches): a few at once per person and a
/// bounded number per service, so past capacity a caller is refused at once with a time to come back
/// (gRPC RESOURCE_EXHAUSTED, HTTP 429, both with <c>retry-after</c>) instead of waiting into a timeout.
/// An endpoint opts in with <c>[EnableRateLimiting(GenieLimits.Policy)]</c>; health, <c>/health</c>,
/// <c>/alive</c> and every read (GET/HEAD) are never limited.
/// </summary>
public static class GenieLimits
{
    public const string Policy = "genie";

    /// <summary>Per person and per service limits from <c>Genie:Limits</c>.</summary>
    public static void AddGenieLimits(this WebApplicationBuilder builder)
    {
        var limits = LimitOptions.FromConfiguration(builder.Configuration);
        builder.Services.AddSingleton(limits);
        builder.Services.AddRateLimiter(options =>
        {
            // Per person: a user's extra stream is refused, never queued behind their own.
            options.AddPolicy(Policy, context => Limited(context)
                ? RateLimitPartition.GetConcurrencyLimiter(UserOf(context), _ => new ConcurrencyLimiterOptions
                {
                    PermitLimit = limits.PerUser,
                    QueueLimit = 0,
                })
                : RateLimitPartition.GetNoLimiter(""));
            // Per service: one partition shared by every limited endpoint, with a short queue.
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => Limited(context)
                ? RateLimitPartition.GetConcurrencyLimiter("service", _ => new ConcurrencyLimiterOptions
                {
                    PermitLimit = limits.PerService,
                    QueueLimit = limits.ServiceQueue,
                    QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                })
                : RateLimitPartition.GetNoLimiter(""));
            options.OnRejected = (rejected, ct) => RefuseAsync(rejected.HttpContext, limits, ct);
        });
    }

    /// <summary>After authentication and authorization (the person is known), before the endpoints.</summary>
    public static IApplicationBuilder UseGenieLimits(this IApplicationBuilder app) => app.UseRateLimiter();

    private static bool Limited(HttpContext context) =>
        !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method)
        && context.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>() is { PolicyName: Policy };

    /// <summary>The token's subject (gRPC) or the portal's user id (cookie); anonymous callers share one partition.</summary>
    private static string UserOf(HttpContext context) =>
        context.User.FindFirst("sub")?.Value ?? context.User.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? "";

    private static async ValueTask RefuseAsync(HttpContext context, LimitOptions limits, CancellationToken ct)
    {
        var seconds = limits.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        var message = $"Genie is busy: too many questions at once. Try again in {seconds} s.";
        var response = context.Response;
        if (context.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true)
        {
            // A trailers-only gRPC response: HTTP 200 whose headers carry the status.
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "application/grpc";
            response.Headers["grpc-status"] = "8"; // RESOURCE_EXHAUSTED
            response.Headers["grpc-message"] = Uri.EscapeDataString(message);
            response.Headers["retry-after"] = seconds;
            await response.CompleteAsync();
            return;
        }
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        response.Headers.RetryAfter = seconds;
        response.ContentType = "text/plain; charset=utf-8";
        await response.WriteAsync(message, ct);
    }
}

/// <summary>
/// <c>Genie:Limits:PerUser</c> (concurrent limited calls per person, default 4),
/// <c>Genie:Limits:PerService</c> (per service process, default 64), <c>Genie:Limits:ServiceQueue</c>
/// (calls that may wait for a service slot, default 8) and <c>Genie:Limits:RetryAfterSeconds</c> (default 2).
/// </summary>
public sealed record LimitOptions(int PerUser, int PerService, int ServiceQueue, int RetryAfterSeconds)
{
    public static LimitOptions FromConfiguration(IConfiguration configuration)
    {
        var section = configuration.GetSection("Genie:Limits");
        int Read(string key, int fallback, int min)
        {
            var value = section.GetValue<int?>(key) ?? fallback;
            return value >= min ? value : throw new InvalidOperationException($"Genie:Limits:{key} must be at least {min} (it is {value}).");
        }
        return new LimitOptions(Read("PerUser", 4, 1), Read("PerService", 64, 1), Read("ServiceQueue", 8, 0), Read("RetryAfterSeconds", 2, 1));
    }
}
