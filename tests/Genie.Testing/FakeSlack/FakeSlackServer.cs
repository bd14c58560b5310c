using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Genie.Testing.FakeSlack;

/// <summary>One Web API call as the fake received it (<paramref name="Token"/>: the bearer token it came with).</summary>
public sealed record FakeSlackCall(string Method, JsonObject Body, DateTimeOffset At, int Status, string? Token = null);

/// <summary>A message the fake holds (posted, then perhaps updated).</summary>
public sealed class FakeSlackMessage
{
    public required string Channel { get; init; }
    public required string Ts { get; init; }
    public string? ThreadTs { get; init; }
    public string Text { get; set; } = "";
    public JsonArray? Blocks { get; set; }
    public int Updates { get; set; }

    /// <summary>Every mrkdwn and plain text of the blocks, one per line (what a person reads).</summary>
    public string Rendered => Blocks is null ? Text : string.Join("\n", Blocks.SelectMany(TextsOf));

    private static IEnumerable<string> TextsOf(JsonNode? node) => node switch
    {
        JsonObject o when o["text"] is JsonValue v && v.TryGetValue<string>(out var s) => [s],
        JsonObject o => o.SelectMany(p => TextsOf(p.Value)),
        JsonArray a => a.SelectMany(TextsOf),
        _ => [],
    };
}

/// <summary>
/// Slack for tests, following its documented Web API (<c>POST /api/{method}</c>, bearer token, <c>ok</c>/<c>error</c>,
/// 429 with <c>Retry-After</c>) and Socket Mode (<c>apps.connections.open</c> → a WebSocket that says <c>hello</c>,
/// pushes envelopes, expects acks by <c>envelope_id</c> and can send <c>disconnect</c>). Records every call.
/// </summary>
public sealed class FakeSlackServer : IAsyncDisposable
{
    public const string BotToken = "xoxb-fake-bot-token-0123456789";
    public const string AppToken = "xapp-1-fake-app-token-0123456789";
    public const string SigningSecret = "8f742231b10e8888abcd99yyyzzz85a5";
    public const string BotUserId = "U0GENIEBOT";

    private readonly ConcurrentQueue<FakeSlackCall> _calls = new();
    private readonly ConcurrentDictionary<string, FakeSlackMessage> _messages = new();
    private readonly ConcurrentDictionary<string, (string Email, bool Deleted)> _users = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<int>> _rateLimits = new();
    private readonly ConcurrentDictionary<string, (string Name, bool IsPrivate)> _channels = new();
    private volatile string _botToken = BotToken;
    private volatile string _appToken = AppToken;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonObject>> _acks = new();
    private readonly SemaphoreSlim _socketSend = new(1, 1);
    private readonly object _socketGate = new();
    private TaskCompletionSource<WebSocket> _socket = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds() * 1_000_000;
    private int _connections;
    private LoopbackApp _app = null!;

    public string Address => _app.Address;

    /// <summary>What the service under test uses as <c>Genie:Slack:ApiBaseUrl</c>.</summary>
    public string ApiBaseUrl => Address + "/api/";

    public IReadOnlyList<FakeSlackCall> Calls => [.. _calls];

    public IEnumerable<FakeSlackCall> CallsTo(string method) => _calls.Where(c => c.Method == method);

    public IReadOnlyList<FakeSlackMessage> Messages => [.. _messages.Values.OrderBy(m => m.Ts, StringComparer.Ordinal)];

    /// <summary>Socket Mode connections opened (each said hello).</summary>
    public int Connections => Volatile.Read(ref _connections);

    public static async Task<FakeSlackServer> StartAsync()
    {
        var fake = new FakeSlackServer();
        fake._app = await LoopbackApp.StartAsync(app =>
        {
            // LoopbackApp hands over its WebApplication, which is also the middleware pipeline.
            ((IApplicationBuilder)app).UseWebSockets();
            app.MapPost("/api/{method}", (HttpContext http, string method) => fake.HandleApiAsync(http, method));
            app.Map("/socket", (HttpContext http) => fake.HandleSocketAsync(http));
        });
        return fake;
    }

    /// <summary>From now on only this bot token is valid (a reinstalled app); the old one gets <c>invalid_auth</c>.</summary>
    public void UseBotToken(string token) => _botToken = token;

    /// <summary>From now on only this app-level token opens Socket Mode connections (a regenerated token).</summary>
    public void UseAppToken(string token) => _appToken = token;

    /// <summary>A channel conversations.list shows.</summary>
    public void AddChannel(string id, string name, bool isPrivate = false) => _channels[id] = (name, isPrivate);

    /// <summary>A workspace member; users.info shows this e-mail.</summary>
    public void AddUser(string userId, string email, bool deleted = false) => _users[userId] = (email, deleted);

    /// <summary>The next <paramref name="times"/> calls of <paramref name="method"/> answer 429 with <c>Retry-After: seconds</c>.</summary>
    public void RateLimit(string method, int retryAfterSeconds, int times = 1)
    {
        var queue = _rateLimits.GetOrAdd(method, _ => new ConcurrentQueue<int>());
        for (var i = 0; i < times; i++)
            queue.Enqueue(retryAfterSeconds);
    }

    public FakeSlackMessage? MessageAt(string channel, string ts) => _messages.GetValueOrDefault(channel + "/" + ts);

    /// <summary>The bot's replies in a thread, oldest first.</summary>
    public IReadOnlyList<FakeSlackMessage> Replies(string channel, string threadTs) =>
        Messages.Where(m => m.Channel == channel && m.ThreadTs == threadTs).ToList();

    public string NextTs()
    {
        var value = Interlocked.Increment(ref _ts);
        return (value / 1_000_000).ToString(CultureInfo.InvariantCulture) + "." + (value % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
    }

    // ---------- Events (the payloads Slack sends) ----------

    public static JsonObject EventCallback(JsonObject ev, string? eventId = null) => new()
    {
        ["token"] = "deprecated-verification-token",
        ["team_id"] = "T0FAKE",
        ["api_app_id"] = "A0FAKE",
        ["event"] = ev,
        ["type"] = "event_callback",
        ["event_id"] = eventId ?? "Ev" + Guid.NewGuid().ToString("N")[..12].ToUpperInvariant(),
        ["event_time"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        ["authorizations"] = new JsonArray { new JsonObject { ["team_id"] = "T0FAKE", ["user_id"] = BotUserId, ["is_bot"] = true } },
    };

    /// <summary>A <c>message.im</c> event: a person writes to the bot in their DM (D + user id).</summary>
    public JsonObject DirectMessage(string user, string text, string? threadTs = null)
    {
        var ev = new JsonObject
        {
            ["type"] = "message", ["channel"] = "D" + user, ["user"] = user, ["text"] = text, ["ts"] = NextTs(),
            ["channel_type"] = "im", ["team"] = "T0FAKE", ["client_msg_id"] = Guid.NewGuid().ToString(),
        };
        if (threadTs is not null) ev["thread_ts"] = threadTs;
        ev["event_ts"] = ev["ts"]!.GetValue<string>();
        return EventCallback(ev);
    }

    /// <summary>An <c>app_mention</c> event in a channel.</summary>
    public JsonObject Mention(string user, string channel, string text, string? threadTs = null)
    {
        var ev = new JsonObject
        {
            ["type"] = "app_mention", ["channel"] = channel, ["user"] = user, ["text"] = $"<@{BotUserId}> {text}", ["ts"] = NextTs(), ["team"] = "T0FAKE",
        };
        if (threadTs is not null) ev["thread_ts"] = threadTs;
        ev["event_ts"] = ev["ts"]!.GetValue<string>();
        return EventCallback(ev);
    }

    /// <summary>A <c>block_actions</c> payload: <paramref name="user"/> clicks a button of a message.</summary>
    public static JsonObject ButtonClick(string user, FakeSlackMessage message, string actionId)
    {
        var button = message.Blocks!.OfType<JsonObject>().Where(b => (string?)b["type"] == "actions")
            .SelectMany(b => b["elements"]!.AsArray().OfType<JsonObject>()).First(e => (string?)e["action_id"] == actionId);
        return new JsonObject
        {
            ["type"] = "block_actions",
            ["user"] = new JsonObject { ["id"] = user, ["username"] = user, ["team_id"] = "T0FAKE" },
            ["api_app_id"] = "A0FAKE",
            ["container"] = new JsonObject { ["type"] = "message", ["message_ts"] = message.Ts, ["channel_id"] = message.Channel, ["is_ephemeral"] = false, ["thread_ts"] = message.ThreadTs },
            ["trigger_id"] = "1.2.3",
            ["channel"] = new JsonObject { ["id"] = message.Channel },
            ["message"] = new JsonObject { ["type"] = "message", ["ts"] = message.Ts, ["text"] = message.Text },
            ["actions"] = new JsonArray { new JsonObject
            {
                ["type"] = "button", ["action_id"] = actionId, ["block_id"] = "b", ["value"] = button["value"]!.GetValue<string>(), ["action_ts"] = "1.1",
            } },
        };
    }

    /// <summary>A slash command's fields as Socket Mode sends them (JSON; over HTTP they are the same fields as a form).</summary>
    public static JsonObject SlashCommand(string user, string channel, string command, string text) => new()
    {
        ["team_id"] = "T0FAKE", ["channel_id"] = channel, ["channel_name"] = "directmessage", ["user_id"] = user, ["command"] = command,
        ["text"] = text, ["api_app_id"] = "A0FAKE", ["response_url"] = "https://hooks.slack.invalid/commands/1", ["trigger_id"] = "1.2.3",
    };

    // ---------- Signing (as Slack signs requests to a Request URL) ----------

    public static string Sign(string body, long timestamp, string secret = SigningSecret) =>
        "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret),
            Encoding.UTF8.GetBytes($"v0:{timestamp.ToString(CultureInfo.InvariantCulture)}:{body}")));

    /// <summary>A signed POST to the app's Request URL, as Slack delivers it.</summary>
    public static HttpRequestMessage SignedRequest(Uri url, string body, string contentType, long? timestamp = null, string secret = SigningSecret, int? retryNum = null)
    {
        var ts = timestamp ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, contentType) };
        request.Content.Headers.ContentType!.CharSet = null;
        request.Headers.Add("X-Slack-Request-Timestamp", ts.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("X-Slack-Signature", Sign(body, ts, secret));
        if (retryNum is { } n)
        {
            request.Headers.Add("X-Slack-Retry-Num", n.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add("X-Slack-Retry-Reason", "http_timeout");
        }
        return request;
    }

    // ---------- Socket Mode ----------

    /// <summary>Pushes an envelope on the current socket and waits for the app's ack (which it returns).</summary>
    public async Task<JsonObject> SendEnvelopeAsync(string type, JsonNode payload, TimeSpan? timeout = null)
    {
        var envelopeId = Guid.NewGuid().ToString();
        var ack = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _acks[envelopeId] = ack;
        var envelope = new JsonObject
        {
            ["envelope_id"] = envelopeId, ["type"] = type, ["payload"] = payload.DeepClone(),
            ["accepts_response_payload"] = type != "events_api", ["retry_attempt"] = 0, ["retry_reason"] = "",
        };
        await SendOnSocketAsync(envelope);
        return await ack.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(30));
    }

    /// <summary>Sends <c>{"type":"disconnect","reason":…}</c> on the current socket.</summary>
    public Task SendDisconnectAsync(string reason = "refresh_requested") =>
        SendOnSocketAsync(new JsonObject { ["type"] = "disconnect", ["reason"] = reason, ["debug_info"] = new JsonObject { ["host"] = "fake" } });

    /// <summary>Waits until at least <paramref name="count"/> connections have said hello.</summary>
    public async Task WaitForConnectionsAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (Connections < count)
        {
            if (DateTimeOffset.UtcNow > deadline)
                throw new TimeoutException($"Expected {count} Socket Mode connections, saw {Connections}.");
            await Task.Delay(20);
        }
    }

    private async Task SendOnSocketAsync(JsonObject message)
    {
        WebSocket socket;
        lock (_socketGate)
            socket = _socket.Task.IsCompleted ? _socket.Task.Result : null!;
        socket ??= await _socket.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await _socketSend.WaitAsync();
        try
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);
        }
        finally
        {
            _socketSend.Release();
        }
    }

    private async Task HandleSocketAsync(HttpContext http)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            http.Response.StatusCode = 400;
            return;
        }
        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        await _socketSend.WaitAsync();
        try
        {
            var hello = new JsonObject { ["type"] = "hello", ["num_connections"] = 1, ["connection_info"] = new JsonObject { ["app_id"] = "A0FAKE" } };
            await socket.SendAsync(Encoding.UTF8.GetBytes(hello.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);
        }
        finally
        {
            _socketSend.Release();
        }
        lock (_socketGate)
        {
            if (_socket.Task.IsCompleted)
                _socket = new TaskCompletionSource<WebSocket>(TaskCreationOptions.RunContinuationsAsynchronously);
            _socket.SetResult(socket);
        }
        Interlocked.Increment(ref _connections);
        var buffer = new byte[64 * 1024];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer, http.RequestAborted);
                if (result.MessageType == WebSocketMessageType.Close)
                    break;
                var ack = JsonNode.Parse(Encoding.UTF8.GetString(buffer, 0, result.Count))!.AsObject();
                if (ack["envelope_id"]?.GetValue<string>() is { } id && _acks.TryRemove(id, out var waiting))
                    waiting.TrySetResult(ack);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The app went away; it will open a new connection.
        }
        lock (_socketGate)
        {
            if (_socket.Task.IsCompleted && _socket.Task.Result == socket)
                _socket = new TaskCompletionSource<WebSocket>(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    // ---------- Web API ----------

    private static readonly HashSet<string> ReadMethods = ["users.info", "users.lookupByEmail", "conversations.list"];

    private async Task<IResult> HandleApiAsync(HttpContext http, string method)
    {
        JsonObject body;
        if (http.Request.HasFormContentType)
        {
            var form = await http.Request.ReadFormAsync();
            body = new JsonObject(form.Select(f => KeyValuePair.Create(f.Key, (JsonNode?)JsonValue.Create(f.Value.ToString()))));
        }
        else
        {
            using var reader = new StreamReader(http.Request.Body);
            var text = await reader.ReadToEndAsync();
            // Slack takes JSON bodies on write methods only; a read method given JSON sees no arguments.
            body = text.Length == 0 || ReadMethods.Contains(method) ? [] : JsonNode.Parse(text) as JsonObject ?? [];
        }
        if (_rateLimits.TryGetValue(method, out var limits) && limits.TryDequeue(out var retryAfter))
        {
            _calls.Enqueue(new FakeSlackCall(method, body, DateTimeOffset.UtcNow, 429));
            http.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
            return Results.Json(new JsonObject { ["ok"] = false, ["error"] = "ratelimited" }, statusCode: 429);
        }
        var token = http.Request.Headers.Authorization.ToString() is { } auth && auth.StartsWith("Bearer ", StringComparison.Ordinal) ? auth[7..] : null;
        _calls.Enqueue(new FakeSlackCall(method, body, DateTimeOffset.UtcNow, 200, token));
        var expected = method == "apps.connections.open" ? _appToken : _botToken;
        if (token is null)
            return Error("not_authed");
        if (token != expected)
            return Error(method == "apps.connections.open" && token == _botToken ? "not_allowed_token_type" : "invalid_auth");
        return Results.Json(method switch
        {
            "auth.test" => new JsonObject { ["ok"] = true, ["url"] = "https://fake.slack.invalid/", ["team"] = "Fake", ["user"] = "genie", ["team_id"] = "T0FAKE", ["user_id"] = BotUserId, ["bot_id"] = "B0FAKE" },
            "apps.connections.open" => new JsonObject { ["ok"] = true, ["url"] = Address.Replace("http://", "ws://") + "/socket" },
            "chat.postMessage" => PostMessage(body),
            "chat.update" => Update(body),
            "chat.postEphemeral" => PostEphemeral(body),
            "conversations.open" => new JsonObject { ["ok"] = true, ["channel"] = new JsonObject { ["id"] = "D" + (string?)body["users"] } },
            "users.info" => UsersInfo(body),
            "conversations.list" => new JsonObject
            {
                ["ok"] = true,
                ["channels"] = new JsonArray([.. _channels.OrderBy(c => c.Key).Select(c => (JsonNode)new JsonObject
                {
                    ["id"] = c.Key, ["name"] = c.Value.Name, ["is_channel"] = true, ["is_private"] = c.Value.IsPrivate, ["is_archived"] = false,
                })]),
                ["response_metadata"] = new JsonObject { ["next_cursor"] = "" },
            },
            "users.lookupByEmail" => _users.FirstOrDefault(u => string.Equals(u.Value.Email, (string?)body["email"], StringComparison.OrdinalIgnoreCase)) is { Key: not null } found
                ? new JsonObject { ["ok"] = true, ["user"] = new JsonObject { ["id"] = found.Key, ["profile"] = new JsonObject { ["email"] = found.Value.Email } } }
                : new JsonObject { ["ok"] = false, ["error"] = "users_not_found" },
            _ => new JsonObject { ["ok"] = false, ["error"] = "unknown_method" },
        });
    }

    private static IResult Error(string error) => Results.Json(new JsonObject { ["ok"] = false, ["error"] = error });

    private JsonObject PostMessage(JsonObject body)
    {
        var channel = (string?)body["channel"];
        if (string.IsNullOrEmpty(channel))
            return new JsonObject { ["ok"] = false, ["error"] = "channel_not_found" };
        if (body["text"] is null && body["blocks"] is null)
            return new JsonObject { ["ok"] = false, ["error"] = "no_text" };
        var message = new FakeSlackMessage
        {
            Channel = channel, Ts = NextTs(), ThreadTs = (string?)body["thread_ts"],
            Text = (string?)body["text"] ?? "", Blocks = body["blocks"]?.DeepClone().AsArray(),
        };
        _messages[channel + "/" + message.Ts] = message;
        return new JsonObject { ["ok"] = true, ["channel"] = channel, ["ts"] = message.Ts, ["message"] = new JsonObject { ["text"] = message.Text, ["ts"] = message.Ts, ["bot_id"] = "B0FAKE" } };
    }

    private JsonObject Update(JsonObject body)
    {
        var channel = (string?)body["channel"] ?? "";
        var ts = (string?)body["ts"] ?? "";
        if (!_messages.TryGetValue(channel + "/" + ts, out var message))
            return new JsonObject { ["ok"] = false, ["error"] = "message_not_found" };
        lock (message)
        {
            message.Text = (string?)body["text"] ?? message.Text;
            if (body["blocks"] is JsonArray blocks)
                message.Blocks = blocks.DeepClone().AsArray();
            message.Updates++;
        }
        return new JsonObject { ["ok"] = true, ["channel"] = channel, ["ts"] = ts, ["text"] = message.Text };
    }

    private JsonObject PostEphemeral(JsonObject body) =>
        (string?)body["channel"] is { Length: > 0 } && (string?)body["user"] is { Length: > 0 }
            ? new JsonObject { ["ok"] = true, ["message_ts"] = NextTs() }
            : new JsonObject { ["ok"] = false, ["error"] = "channel_not_found" };

    /// <summary>The ephemeral texts shown to <paramref name="user"/>, oldest first.</summary>
    public IReadOnlyList<string> EphemeralsFor(string user) =>
        CallsTo("chat.postEphemeral").Where(c => c.Status == 200 && (string?)c.Body["user"] == user).Select(c => (string?)c.Body["text"] ?? "").ToList();

    private JsonObject UsersInfo(JsonObject body)
    {
        var id = (string?)body["user"] ?? "";
        if (!_users.TryGetValue(id, out var user))
            return new JsonObject { ["ok"] = false, ["error"] = "user_not_found" };
        return new JsonObject
        {
            ["ok"] = true,
            ["user"] = new JsonObject
            {
                ["id"] = id, ["team_id"] = "T0FAKE", ["name"] = user.Email.Split('@')[0], ["deleted"] = user.Deleted, ["is_bot"] = false,
                ["profile"] = new JsonObject { ["email"] = user.Email, ["real_name"] = user.Email.Split('@')[0] },
            },
        };
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
