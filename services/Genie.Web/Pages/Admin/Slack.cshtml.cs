using System.ComponentModel.DataAnnotations;
using Genie.Contracts.Retrieval.V1;
using Genie.Contracts.Slack.V1;
using Genie.Web.Audit;
using Genie.Web.Backends;
using Grpc.Core;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Genie.Web.Pages.Admin;

/// <summary>
/// Slack settings, forwarded to the Slack service, which stores the secrets encrypted and never returns them (only
/// "set …abcd"); a connection test (auth.test); and per-channel settings (knowledge bases, silent).
/// </summary>
public sealed class SlackModel(BackendClients backends, UserCalls calls, AuditLog audit) : PageModel
{
    private static readonly IReadOnlyDictionary<string, string> SecretFields = new Dictionary<string, string>
    {
        ["bot_token"] = "Secrets.BotToken",
        ["app_token"] = "Secrets.AppToken",
        ["signing_secret"] = "Secrets.SigningSecret",
    };

    private static readonly IReadOnlyDictionary<string, string> ChannelFields = new Dictionary<string, string>
    {
        ["channel_id"] = "Channel.ChannelId",
        ["channel_name"] = "Channel.ChannelName",
        ["knowledge_base_ids"] = "Channel.KnowledgeBaseIds",
    };

    [BindProperty]
    public SecretsForm Secrets { get; set; } = new();

    [BindProperty]
    public ChannelForm Channel { get; set; } = new();

    public SlackSettings? Settings { get; private set; }

    public IReadOnlyList<ChannelSettings> Channels { get; private set; } = [];

    public IReadOnlyList<KnowledgeBase> KnowledgeBases { get; private set; } = [];

    public IReadOnlyList<SlackChannel> SlackChannels { get; private set; } = [];

    public string? SlackChannelsError { get; private set; }

    /// <summary>Why the Slack service could not be asked (not deployed, unreachable); the page still renders.</summary>
    public string? LoadError { get; private set; }

    public string? KnowledgeBasesError { get; private set; }

    public TestSlackConnectionResponse? TestResult { get; private set; }

    public async Task OnGetAsync(string? edit)
    {
        await LoadAsync();
        if (edit is not null && Channels.FirstOrDefault(c => c.ChannelId == edit) is { } channel)
        {
            Channel = new ChannelForm
            {
                ChannelId = channel.ChannelId, ChannelName = channel.ChannelName,
                KnowledgeBaseIds = [.. channel.KnowledgeBaseIds], Silent = channel.Silent,
            };
        }
    }

    public async Task<IActionResult> OnPostSaveAsync()
    {
        ModelState.Clear(); // only the secrets form is posted; its checks are the Slack service's
        var request = new SetSlackSettingsRequest();
        if (Secrets.ClearBotToken) request.BotToken = "";
        else if (Typed(Secrets.BotToken) is { } bot) request.BotToken = bot;
        if (Secrets.ClearAppToken) request.AppToken = "";
        else if (Typed(Secrets.AppToken) is { } app) request.AppToken = app;
        if (Secrets.ClearSigningSecret) request.SigningSecret = "";
        else if (Typed(Secrets.SigningSecret) is { } signing) request.SigningSecret = signing;
        try
        {
            var saved = await backends.Slack.SetSlackSettingsAsync(request, Call());
            await audit.WriteAsync(AuditActor.From(User), "slack.settings.update", "slack", Changes(request, saved), HttpContext.RequestAborted);
            TempData["Flash"] = "Slack settings saved. " + saved.Status;
            return RedirectToPage();
        }
        catch (RpcException e) when (BackendErrors.AddToModelState(e, ModelState, SecretFields))
        {
        }
        catch (RpcException e)
        {
            ModelState.AddModelError("", BackendErrors.Describe(e, "The Slack service"));
        }
        Secrets = new SecretsForm(); // a typed secret is never echoed back into the page
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostTestAsync()
    {
        ModelState.Clear();
        try
        {
            TestResult = await backends.Slack.TestSlackConnectionAsync(
                new TestSlackConnectionRequest { BotToken = Typed(Secrets.BotToken) ?? "" }, Call(TimeSpan.FromMinutes(1)));
        }
        catch (RpcException e)
        {
            TestResult = new TestSlackConnectionResponse { Error = BackendErrors.Describe(e, "The Slack service") };
        }
        Secrets = new SecretsForm();
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostSaveChannelAsync()
    {
        ModelState.Clear();
        var request = new ChannelSettings
        {
            ChannelId = (Channel.ChannelId ?? "").Trim(),
            ChannelName = (Channel.ChannelName ?? "").Trim(),
            KnowledgeBaseIds = { Channel.KnowledgeBaseIds },
            Silent = Channel.Silent,
        };
        try
        {
            var saved = await backends.Slack.SetChannelSettingsAsync(request, Call());
            await audit.WriteAsync(AuditActor.From(User), "slack.channel.update", saved.ChannelId,
                $"{(saved.Silent ? "silent" : "answers")}, {(saved.KnowledgeBaseIds.Count == 0 ? "all knowledge bases" : $"{saved.KnowledgeBaseIds.Count} knowledge base(s)")}",
                HttpContext.RequestAborted);
            TempData["Flash"] = $"Channel {ChannelLabel(saved)} saved.";
            return RedirectToPage();
        }
        catch (RpcException e) when (BackendErrors.AddToModelState(e, ModelState, ChannelFields))
        {
        }
        catch (RpcException e)
        {
            ModelState.AddModelError("", BackendErrors.Describe(e, "The Slack service"));
        }
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostRemoveChannelAsync(string channelId)
    {
        try
        {
            await backends.Slack.DeleteChannelSettingsAsync(new DeleteChannelSettingsRequest { ChannelId = channelId ?? "" }, Call());
            await audit.WriteAsync(AuditActor.From(User), "slack.channel.remove", channelId ?? "", "channel settings removed", HttpContext.RequestAborted);
            TempData["Flash"] = $"Channel {channelId} uses the defaults again.";
        }
        catch (RpcException e)
        {
            TempData["FlashError"] = BackendErrors.Describe(e, "The Slack service");
        }
        return RedirectToPage();
    }

    public static string ChannelLabel(ChannelSettings channel) =>
        channel.ChannelName.Length > 0 ? $"#{channel.ChannelName} ({channel.ChannelId})" : channel.ChannelId;

    public string KnowledgeBaseName(string id) => KnowledgeBases.FirstOrDefault(kb => kb.Id == id)?.Name ?? id;

    private static string? Typed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>What changed, for the audit log: never a secret, only which were replaced or cleared.</summary>
    private static string Changes(SetSlackSettingsRequest request, SlackSettings saved)
    {
        var parts = new List<string>();
        if (request.HasBotToken) parts.Add(request.BotToken.Length == 0 ? "bot token cleared" : $"bot token replaced (ends in {saved.BotToken.Last4})");
        if (request.HasAppToken) parts.Add(request.AppToken.Length == 0 ? "app token cleared" : $"app token replaced (ends in {saved.AppToken.Last4})");
        if (request.HasSigningSecret) parts.Add(request.SigningSecret.Length == 0 ? "signing secret cleared" : "signing secret replaced");
        return parts.Count == 0 ? "nothing changed" : string.Join(", ", parts);
    }

    private CallOptions Call(TimeSpan? timeout = null) =>
        calls.For(User, HttpContext.RequestAborted, timeout ?? TimeSpan.FromSeconds(30));

    private async Task LoadAsync()
    {
        try
        {
            Settings = await backends.Slack.GetSlackSettingsAsync(new GetSlackSettingsRequest(), Call());
            Channels = (await backends.Slack.ListChannelSettingsAsync(new ListChannelSettingsRequest(), Call())).Channels;
            if (Settings.BotToken.Set)
            {
                var listed = await backends.Slack.ListSlackChannelsAsync(new ListSlackChannelsRequest(), Call());
                SlackChannels = listed.Channels;
                SlackChannelsError = listed.Error.Length > 0 ? listed.Error : null;
            }
        }
        catch (RpcException e)
        {
            LoadError = BackendErrors.Describe(e, "The Slack service");
        }
        try
        {
            KnowledgeBases = (await backends.Retrieval.ListKnowledgeBasesAsync(new ListKnowledgeBasesRequest(), Call())).KnowledgeBases
                .OrderBy(kb => kb.Name, StringComparer.OrdinalIgnoreCase).ToList();
        }
        catch (RpcException e)
        {
            KnowledgeBasesError = BackendErrors.Describe(e, "Retrieval");
        }
    }

    /// <summary>Write-only: an empty field keeps what is stored; "clear" removes the saved value.</summary>
    public sealed class SecretsForm
    {
        [StringLength(300)]
        public string? BotToken { get; set; }

        [StringLength(300)]
        public string? AppToken { get; set; }

        [StringLength(300)]
        public string? SigningSecret { get; set; }

        public bool ClearBotToken { get; set; }

        public bool ClearAppToken { get; set; }

        public bool ClearSigningSecret { get; set; }
    }

    public sealed class ChannelForm
    {
        public string? ChannelId { get; set; }

        public string? ChannelName { get; set; }

        public List<string> KnowledgeBaseIds { get; set; } = [];

        public bool Silent { get; set; }
    }
}
