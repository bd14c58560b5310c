using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Genie.Slack.Inbound;
using Genie.Slack.Settings;
using Genie.Slack.WebApi;

namespace Genie.Slack.SocketMode;

/// <summary>
/// Socket Mode: asks <c>apps.connections.open</c> for a WebSocket URL with the app token, waits for
/// <c>hello</c>, then hands every envelope to the one handler and acknowledges it by <c>envelope_id</c>
/// (with the handler's reply when the envelope accepts one). On <c>disconnect</c> or a dropped socket it
/// connects again, backing off when connecting fails; <c>link_disabled</c> stops it. Work already
/// acknowledged sits in the queue and is answered whatever the connection does.
/// </summary>
public sealed class SocketModeConnection(SlackOptions options, SlackSecrets secrets, SlackWebApi slack, SlackInbox inbox, ILogger<SocketModeConnection> logger)
    : BackgroundService
{
    private long _connections;
    private volatile bool _connected;

    /// <summary>How many times a socket reached <c>hello</c> (tests and the log use it).</summary>
    public long Connections => Interlocked.Read(ref _connections);

    /// <summary>A socket is open and said <c>hello</c>.</summary>
    public bool Connected => _connected;

    /// <summary>
    /// Connects while Socket Mode is configured; when the credentials change (a save in Admin → Slack) the
    /// current socket is closed and, if Socket Mode is still on, a new one opened with the new app token.
    /// </summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var changed = secrets.Changed;
            var credentials = secrets.Current;
            if (!credentials.SocketMode)
            {
                logger.LogInformation("Slack Socket Mode is off: {Reason}", credentials.Configured
                    ? "no app token (Genie:Slack:AppToken or Admin → Slack); Slack must reach /slack/events over HTTP"
                    : "Slack is not configured (no bot token in Genie:Slack:BotToken or Admin → Slack); the Slack adapter is idle");
                await SlackSecrets.WhenChangedAsync(changed, stoppingToken);
                continue;
            }
            using var untilChanged = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, changed);
            var linkDisabled = await ConnectUntilCancelledAsync(credentials.AppToken!, untilChanged.Token);
            _connected = false;
            if (linkDisabled)
                await SlackSecrets.WhenChangedAsync(changed, stoppingToken);
            else if (!stoppingToken.IsCancellationRequested)
                logger.LogInformation("Slack settings changed; reconnecting Socket Mode with them");
        }
    }

    /// <returns>True when Slack switched Socket Mode off for the app (nothing to do until the settings change).</returns>
    private async Task<bool> ConnectUntilCancelledAsync(string appToken, CancellationToken ct)
    {
        var delay = options.ReconnectDelay;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var outcome = await RunOnceAsync(appToken, ct);
                _connected = false;
                if (outcome == Outcome.LinkDisabled)
                {
                    logger.LogError("Slack switched Socket Mode off for this app (link_disabled); not reconnecting");
                    return true;
                }
                if (outcome == Outcome.Refresh)
                {
                    delay = options.ReconnectDelay;
                    continue;
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return false;
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                _connected = false;
                logger.LogWarning("Slack Socket Mode connection failed ({Error}); reconnecting in {Delay}", e.Message, delay);
            }
            try
            {
                await Task.Delay(delay, ct);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.MaxReconnectDelay.Ticks));
        }
        return false;
    }

    private enum Outcome { Refresh, Closed, LinkDisabled }

    private async Task<Outcome> RunOnceAsync(string appToken, CancellationToken ct)
    {
        var url = await slack.OpenConnectionAsync(appToken, ct);
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(url, ct);
        var sendLock = new SemaphoreSlim(1, 1);
        while (!ct.IsCancellationRequested)
        {
            var frame = await ReceiveAsync(socket, ct);
            if (frame is null)
                return Outcome.Closed;
            using var doc = JsonDocument.Parse(frame);
            var root = doc.RootElement;
            var type = root.TryGetProperty("type", out var t) ? t.GetString() : null;
            switch (type)
            {
                case "hello":
                    Interlocked.Increment(ref _connections);
                    _connected = true;
                    logger.LogInformation("Slack Socket Mode connected");
                    break;
                case "disconnect":
                    var reason = root.TryGetProperty("reason", out var r) ? r.GetString() : null;
                    logger.LogInformation("Slack asked to reconnect ({Reason})", reason);
                    await CloseQuietlyAsync(socket);
                    return reason == "link_disabled" ? Outcome.LinkDisabled : Outcome.Refresh;
                case "events_api" or "interactive" or "slash_commands":
                    await HandleEnvelopeAsync(socket, sendLock, type, root.Clone(), ct);
                    break;
            }
        }
        return Outcome.Closed;
    }

    private async Task HandleEnvelopeAsync(ClientWebSocket socket, SemaphoreSlim sendLock, string type, JsonElement envelope, CancellationToken ct)
    {
        var envelopeId = envelope.TryGetProperty("envelope_id", out var id) ? id.GetString() : null;
        if (envelopeId is null || !envelope.TryGetProperty("payload", out var payload))
            return;
        var kind = type switch
        {
            "events_api" => SlackPayloadKind.EventsApi,
            "interactive" => SlackPayloadKind.Interactive,
            _ => SlackPayloadKind.SlashCommands,
        };
        // Taken (stored and queued) before the ack: an acknowledged envelope is never lost.
        var reply = await inbox.HandleAsync(kind, payload, ct);
        var ack = new JsonObject { ["envelope_id"] = envelopeId };
        if (reply is not null && envelope.TryGetProperty("accepts_response_payload", out var accepts) && accepts.ValueKind == JsonValueKind.True)
            ack["payload"] = reply;
        await sendLock.WaitAsync(ct);
        try
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(ack.ToJsonString()), WebSocketMessageType.Text, true, ct);
        }
        finally
        {
            sendLock.Release();
        }
    }

    private static async Task<byte[]?> ReceiveAsync(ClientWebSocket socket, CancellationToken ct)
    {
        using var message = new MemoryStream();
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, ct);
            if (result.MessageType == WebSocketMessageType.Close)
                return null;
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
                return message.ToArray();
        }
    }

    private static async Task CloseQuietlyAsync(ClientWebSocket socket)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "reconnecting", timeout.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The old socket is being replaced; how it ends does not matter.
        }
    }
}
