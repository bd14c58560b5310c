using System.Text.Json;
using Genie.Slack.Inbound;
using Genie.Slack.Settings;
using Microsoft.AspNetCore.WebUtilities;

namespace Genie.Slack.Http;

/// <summary>
/// The HTTP Events API: <c>/slack/events</c>, <c>/slack/interactivity</c>, <c>/slack/commands</c>. Every request's
/// signature is checked over the raw body before anything is read or stored; then the one handler takes it.
/// </summary>
public static class SlackHttpEndpoints
{
    private const int MaxBodyBytes = 1024 * 1024;

    public static IEndpointRouteBuilder MapSlackEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/slack/events", (HttpContext http, SlackInbox inbox) => HandleAsync(http, inbox, SlackPayloadKind.EventsApi));
        app.MapPost("/slack/interactivity", (HttpContext http, SlackInbox inbox) => HandleAsync(http, inbox, SlackPayloadKind.Interactive));
        app.MapPost("/slack/commands", (HttpContext http, SlackInbox inbox) => HandleAsync(http, inbox, SlackPayloadKind.SlashCommands));
        return app;
    }

    private static async Task<IResult> HandleAsync(HttpContext http, SlackInbox inbox, SlackPayloadKind kind)
    {
        var credentials = http.RequestServices.GetRequiredService<SlackSecrets>().Current;
        var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Genie.Slack.Http");
        if (!credentials.EventsApi)
            return Results.Text("Slack's Events API is not configured here (no bot token or signing secret).", statusCode: StatusCodes.Status503ServiceUnavailable);

        var body = await ReadBodyAsync(http.Request, http.RequestAborted);
        if (body is null)
            return Results.Text("The request body is larger than 1 MiB.", statusCode: StatusCodes.Status413PayloadTooLarge);
        var time = http.RequestServices.GetRequiredService<TimeProvider>();
        var refused = SlackSignature.Verify(credentials.SigningSecret!, http.Request.Headers["X-Slack-Request-Timestamp"],
            http.Request.Headers["X-Slack-Signature"], body, time.GetUtcNow());
        if (refused is not null)
        {
            logger.LogWarning("Refused a Slack request to {Path}: {Reason}", http.Request.Path, refused);
            return Results.Text($"Not a valid Slack request: {refused}.", statusCode: StatusCodes.Status401Unauthorized);
        }

        JsonElement payload;
        try
        {
            payload = kind switch
            {
                SlackPayloadKind.EventsApi => JsonDocument.Parse(body).RootElement,
                SlackPayloadKind.Interactive => JsonDocument.Parse(Form(body).GetValueOrDefault("payload").ToString()).RootElement,
                _ => JsonSerializer.SerializeToElement(Form(body).ToDictionary(f => f.Key, f => f.Value.ToString())),
            };
        }
        catch (JsonException)
        {
            return Results.Text("The request body is not the JSON Slack sends.", statusCode: StatusCodes.Status400BadRequest);
        }

        if (kind == SlackPayloadKind.EventsApi && payload.TryGetProperty("type", out var type) && type.GetString() == "url_verification")
            return Results.Json(new { challenge = payload.TryGetProperty("challenge", out var c) ? c.GetString() : "" });

        var ack = await inbox.HandleAsync(kind, payload, http.RequestAborted);
        return ack is null ? Results.Ok() : Results.Content(ack.ToJsonString(), "application/json");
    }

    private static Dictionary<string, Microsoft.Extensions.Primitives.StringValues> Form(byte[] body) =>
        QueryHelpers.ParseQuery(System.Text.Encoding.UTF8.GetString(body));

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
                return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
