using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Genie.Slack.Settings;

namespace Genie.Slack.WebApi;

/// <summary>
/// Slack's Web API over JSON with the bot token. A 429 is retried after its <c>Retry-After</c> (a few
/// times); <c>ok: false</c> throws <see cref="SlackApiException"/>. Tokens are sent, never logged.
/// </summary>
public sealed class SlackWebApi(HttpClient http, SlackOptions options, SlackSecrets secrets, ILogger<SlackWebApi> logger)
{
    private const int MaxRateLimitRetries = 5;
    private static readonly Meter Meter = new("Genie.Slack");
    private static readonly Counter<long> Calls = Meter.CreateCounter<long>("genie.slack.api.calls", description: "Slack Web API calls, retries included");

    public Task<JsonObject> PostMessageAsync(string channel, string text, JsonArray? blocks, string? threadTs, CancellationToken ct)
    {
        var body = new JsonObject { ["channel"] = channel, ["text"] = text, ["unfurl_links"] = false, ["unfurl_media"] = false };
        if (blocks is not null) body["blocks"] = blocks;
        if (threadTs is not null) body["thread_ts"] = threadTs;
        return CallAsync("chat.postMessage", body, ct);
    }

    public Task<JsonObject> UpdateAsync(string channel, string ts, string text, JsonArray? blocks, CancellationToken ct)
    {
        var body = new JsonObject { ["channel"] = channel, ["ts"] = ts, ["text"] = text };
        if (blocks is not null) body["blocks"] = blocks;
        return CallAsync("chat.update", body, ct);
    }

    public Task<JsonObject> PostEphemeralAsync(string channel, string user, string text, string? threadTs, CancellationToken ct)
    {
        var body = new JsonObject { ["channel"] = channel, ["user"] = user, ["text"] = text };
        if (threadTs is not null) body["thread_ts"] = threadTs;
        return CallAsync("chat.postEphemeral", body, ct);
    }

    /// <summary>The DM channel (D…) with a user.</summary>
    public async Task<string> OpenDirectMessageAsync(string user, CancellationToken ct)
    {
        var response = await CallAsync("conversations.open", new JsonObject { ["users"] = user }, ct);
        return response["channel"]?["id"]?.GetValue<string>() ?? throw new SlackApiException("conversations.open", "no channel in the response");
    }

    public Task<JsonObject> UsersInfoAsync(string user, CancellationToken ct) =>
        CallAsync("users.info", new JsonObject { ["user"] = user }, ct);

    /// <summary>The workspace user whose verified e-mail is <paramref name="email"/>, or null.</summary>
    public async Task<string?> LookupByEmailAsync(string email, CancellationToken ct)
    {
        try
        {
            var response = await CallAsync("users.lookupByEmail", new JsonObject { ["email"] = email }, ct);
            return response["user"]?["id"]?.GetValue<string>();
        }
        catch (SlackApiException e) when (e.Error == "users_not_found")
        {
            return null;
        }
    }

    public Task<JsonObject> AuthTestAsync(string? token, CancellationToken ct) => CallAsync("auth.test", new JsonObject(), ct, token);

    /// <summary>The channels the bot token can see (<c>conversations.list</c>, public and private, not archived), by name.</summary>
    public async Task<IReadOnlyList<(string Id, string Name, bool IsPrivate)>> ListChannelsAsync(CancellationToken ct)
    {
        const int MaxPages = 10;
        var channels = new List<(string Id, string Name, bool IsPrivate)>();
        var cursor = "";
        for (var page = 0; page < MaxPages; page++)
        {
            var body = new JsonObject { ["types"] = "public_channel,private_channel", ["exclude_archived"] = true, ["limit"] = 200 };
            if (cursor.Length > 0) body["cursor"] = cursor;
            var response = await CallAsync("conversations.list", body, ct);
            foreach (var channel in response["channels"]?.AsArray() ?? [])
            {
                if ((string?)channel?["id"] is { } id)
                    channels.Add((id, (string?)channel["name"] ?? id, (bool?)channel["is_private"] ?? false));
            }
            cursor = (string?)response["response_metadata"]?["next_cursor"] ?? "";
            if (cursor.Length == 0)
                break;
        }
        return [.. channels.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>Socket Mode: a WebSocket URL, asked for with the app-level token.</summary>
    public async Task<Uri> OpenConnectionAsync(string appToken, CancellationToken ct)
    {
        var response = await CallAsync("apps.connections.open", new JsonObject(), ct, appToken);
        return new Uri(response["url"]?.GetValue<string>() ?? throw new SlackApiException("apps.connections.open", "no url in the response"));
    }

    /// <summary>Slack accepts JSON bodies on write methods only; these reads take form-encoded arguments.</summary>
    private static readonly HashSet<string> ReadMethods = ["users.info", "users.lookupByEmail", "conversations.list"];

    private static FormUrlEncodedContent FormOf(JsonObject body) =>
        new(body.Select(p => KeyValuePair.Create(p.Key, p.Value is JsonValue value && value.TryGetValue<string>(out var text) ? text : p.Value?.ToJsonString() ?? "")));

    private async Task<JsonObject> CallAsync(string method, JsonObject body, CancellationToken ct, string? token = null)
    {
        token ??= secrets.Current.BotToken ?? throw new SlackApiException(method, "no bot token is configured");
        var url = new Uri(new Uri(options.ApiBaseUrl.TrimEnd('/') + "/"), method);
        var payload = body.ToJsonString();
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url)
            {
                Content = ReadMethods.Contains(method) ? FormOf(body) : new StringContent(payload, Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            Calls.Add(1, new KeyValuePair<string, object?>("method", method));
            using var response = await http.SendAsync(request, ct);
            if (response.StatusCode == HttpStatusCode.TooManyRequests && attempt < MaxRateLimitRetries)
            {
                var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
                logger.LogInformation("Slack {Method} rate limited; retrying after {Seconds} s", method, wait.TotalSeconds);
                await Task.Delay(wait, ct);
                continue;
            }
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
                throw new SlackApiException(method, "ratelimited");
            if (!response.IsSuccessStatusCode)
                throw new SlackApiException(method, $"HTTP {(int)response.StatusCode}");
            var json = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct)) as JsonObject
                ?? throw new SlackApiException(method, "the response is not a JSON object");
            if (json["ok"]?.GetValue<bool>() != true)
                throw new SlackApiException(method, json["error"]?.GetValue<string>() ?? "unknown_error");
            return json;
        }
    }
}
