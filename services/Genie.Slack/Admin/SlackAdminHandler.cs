using Genie.Contracts.Slack.V1;
using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Rpc;
using Genie.Slack.Settings;
using Genie.Slack.SocketMode;
using Genie.Slack.WebApi;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;

namespace Genie.Slack.Admin;

/// <summary>
/// Serves <c>genie.slack.v1.SlackAdminService</c> for the portal's Admin → Slack page: write-only secrets, the
/// connection test and per-channel settings. Admins only; secrets never leave except as "set …abcd".
/// </summary>
[Authorize(Roles = Roles.Admin)]
public sealed class SlackAdminHandler(
    SlackSettingsStore settings, SlackSecrets secrets, ChannelSettingsStore channels, SlackWebApi slack,
    SocketModeConnection socket, ILogger<SlackAdminHandler> logger) : SlackAdminService.SlackAdminServiceBase
{
    public override async Task<SlackSettings> GetSlackSettings(GetSlackSettingsRequest request, ServerCallContext context) =>
        Describe(await settings.LoadAsync(context.CancellationToken));

    public override async Task<SlackSettings> SetSlackSettings(SetSlackSettingsRequest request, ServerCallContext context)
    {
        // Everything is checked before anything is written: a bad value changes nothing.
        var bot = SecretChange.From(request.HasBotToken, SlackSettingsRules.Secret("bot_token", request.BotToken, "xoxb-", 20) ?? "");
        var app = SecretChange.From(request.HasAppToken, SlackSettingsRules.Secret("app_token", request.AppToken, "xapp-", 20) ?? "");
        var signing = SecretChange.From(request.HasSigningSecret, SlackSettingsRules.Secret("signing_secret", request.SigningSecret, null, 16) ?? "");
        var saved = await settings.SaveAsync(bot, app, signing, context.GetCaller().Email, context.CancellationToken);
        logger.LogInformation("Slack settings saved by {Admin}: bot token {Bot}, app token {App}, signing secret {Signing}",
            context.GetCaller().Email, What(bot), What(app), What(signing));
        return Describe(saved);
    }

    public override async Task<TestSlackConnectionResponse> TestSlackConnection(TestSlackConnectionRequest request, ServerCallContext context)
    {
        var token = request.BotToken.Length > 0
            ? SlackSettingsRules.Secret("bot_token", request.BotToken, "xoxb-", 20)
            : secrets.Current.BotToken;
        if (token is null)
            return new TestSlackConnectionResponse { Error = "No bot token is set yet: paste the Bot User OAuth Token (xoxb-…) and save it." };
        try
        {
            var answer = await slack.AuthTestAsync(token, context.CancellationToken);
            return new TestSlackConnectionResponse
            {
                Ok = true,
                Team = (string?)answer["team"] ?? "",
                TeamId = (string?)answer["team_id"] ?? "",
                BotName = (string?)answer["user"] ?? "",
                BotUserId = (string?)answer["user_id"] ?? "",
            };
        }
        catch (SlackApiException e)
        {
            return new TestSlackConnectionResponse { Error = SlackErrors.Plain(e.Error) };
        }
        catch (HttpRequestException e)
        {
            return new TestSlackConnectionResponse { Error = $"Slack could not be reached: {e.Message}" };
        }
        catch (TaskCanceledException) when (!context.CancellationToken.IsCancellationRequested)
        {
            return new TestSlackConnectionResponse { Error = "Slack did not answer in time." };
        }
    }

    public override async Task<ListChannelSettingsResponse> ListChannelSettings(ListChannelSettingsRequest request, ServerCallContext context) =>
        new() { Channels = { (await channels.ListAsync(context.CancellationToken)).Select(ToProto) } };

    public override async Task<ChannelSettings> SetChannelSettings(ChannelSettings request, ServerCallContext context)
    {
        var setting = new ChannelSetting(
            SlackSettingsRules.ChannelId("channel_id", request.ChannelId),
            SlackSettingsRules.ChannelName(request.ChannelName),
            SlackSettingsRules.KnowledgeBaseIds(request.KnowledgeBaseIds),
            request.Silent);
        return ToProto(await channels.SaveAsync(setting, context.GetCaller().Email, context.CancellationToken));
    }

    public override async Task<DeleteChannelSettingsResponse> DeleteChannelSettings(DeleteChannelSettingsRequest request, ServerCallContext context) =>
        new() { Deleted = await channels.DeleteAsync(SlackSettingsRules.ChannelId("channel_id", request.ChannelId), context.CancellationToken) };

    public override async Task<ListSlackChannelsResponse> ListSlackChannels(ListSlackChannelsRequest request, ServerCallContext context)
    {
        if (!secrets.Current.Configured)
            return new ListSlackChannelsResponse { Error = "No bot token is set, so Slack's channels cannot be listed." };
        try
        {
            var found = await slack.ListChannelsAsync(context.CancellationToken);
            return new ListSlackChannelsResponse
            {
                Channels = { found.Select(c => new SlackChannel { Id = c.Id, Name = c.Name, IsPrivate = c.IsPrivate }) },
            };
        }
        catch (SlackApiException e)
        {
            return new ListSlackChannelsResponse { Error = SlackErrors.Plain(e.Error) };
        }
        catch (HttpRequestException e)
        {
            return new ListSlackChannelsResponse { Error = $"Slack could not be reached: {e.Message}" };
        }
    }

    private SlackSettings Describe(SlackSettingsSaved saved)
    {
        var current = secrets.Current;
        var connected = current.SocketMode && socket.Connected;
        var response = new SlackSettings
        {
            BotToken = State(secrets.Saved.BotToken, secrets.Configuration.BotToken),
            AppToken = State(secrets.Saved.AppToken, secrets.Configuration.AppToken),
            SigningSecret = State(secrets.Saved.SigningSecret, secrets.Configuration.SigningSecret),
            Mode = !current.Configured ? SlackMode.Idle : current.SocketMode ? SlackMode.SocketMode : current.EventsApi ? SlackMode.HttpEvents : SlackMode.Idle,
            SocketConnected = connected,
            HttpEvents = current.EventsApi,
            UpdatedBy = saved.UpdatedBy,
            Status = !current.Configured ? "Idle: no bot token is set."
                : current.SocketMode ? connected ? "Connected to Slack over Socket Mode." : "Connecting to Slack over Socket Mode…"
                : current.EventsApi ? "Receiving events over HTTP at /slack/events (no app token, so no Socket Mode)."
                : "Idle: a bot token is set, but neither an app token (Socket Mode) nor a signing secret (HTTP events), so no events arrive.",
        };
        if (saved.UpdatedAt is { } at)
            response.UpdatedAt = Timestamp.FromDateTimeOffset(at);
        return response;
    }

    private static SecretState State(string? saved, string? configured) => saved is not null
        ? new SecretState { Set = true, Last4 = SlackSettingsRules.Last4(saved), Source = SecretSource.Portal }
        : configured is not null
            ? new SecretState { Set = true, Last4 = SlackSettingsRules.Last4(configured), Source = SecretSource.Configuration }
            : new SecretState { Set = false, Source = SecretSource.Unspecified };

    private static string What(SecretChange change) => !change.Change ? "kept" : change.Value is null ? "cleared" : "replaced";

    private static ChannelSettings ToProto(ChannelSetting s) => new()
    {
        ChannelId = s.ChannelId, ChannelName = s.ChannelName, KnowledgeBaseIds = { s.KnowledgeBaseIds }, Silent = s.Silent,
    };
}
