using System.ComponentModel.DataAnnotations;
using System.Text;
using Genie.Contracts.Agent.V1;
using Grpc.Core;
using Genie.ServiceDefaults.Limits;
using Genie.Web.Backends;
using Genie.Web.Bots;
using Genie.Web.Chat;
using Genie.Web.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Genie.Web.Pages;

/// <summary>
/// The learner chat: the caller's conversations with one bot, the thread of one conversation, and a
/// composer whose answer streams in as Server-Sent Events relaying Agent's Chat stream.
/// Asking is limited per person and for the portal (<see cref="GenieLimits"/>): past it, 429 with Retry-After.
/// </summary>
[EnableRateLimiting(GenieLimits.Policy)]
public sealed class ChatModel(BotAssignments assignments, BackendClients backends, UserCalls calls, ILogger<ChatModel> logger) : PageModel
{
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromMinutes(5);

    [BindProperty(SupportsGet = true, Name = "bot")]
    public string? BotId { get; set; }

    [BindProperty(SupportsGet = true, Name = "c")]
    public string? ConversationId { get; set; }

    public IReadOnlyList<Bot> Bots { get; private set; } = [];

    public Bot? Bot { get; private set; }

    public IReadOnlyList<ConversationSummary> Conversations { get; private set; } = [];

    public Conversation? Conversation { get; private set; }

    public string? LoadError { get; private set; }

    /// <summary>Conversation ids are UUIDs: anything else is refused before a handler puts it into a redirect.</summary>
    public override void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        if (ConversationId is { } c && !Guid.TryParse(c, out _))
            context.Result = NotFound();
    }

    public async Task<IActionResult> OnGetAsync()
    {
        if (await ResolveBotAsync() is { } refused)
            return refused;
        if (Bot is null)
            return Page();
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostAskAsync([FromForm] string? message)
    {
        var ct = HttpContext.RequestAborted;
        if (await ResolveBotAsync() is { } refused)
            return refused;
        if (Bot is null)
            return Forbid();
        message = (message ?? "").Trim();
        if (QuestionRules.Problem(message) is { } problem)
        {
            if (!ServerSentEvents.Requested(Request))
            {
                TempData["FlashError"] = problem;
                return RedirectToPage(new { bot = Bot.Id, c = ConversationId });
            }
            await ServerSentEvents.StartAsync(Response);
            await ServerSentEvents.WriteAsync(Response, "error", new { message = problem }, HttpContext.RequestAborted);
            return new EmptyResult();
        }
        var request = new ChatRequest { Bot = Bot.Id, ConversationId = ConversationId ?? "", Message = message };

        if (!ServerSentEvents.Requested(Request))
        {
            var conversation = ConversationId;
            try
            {
                await foreach (var e in backends.Agent.Chat(request, calls.For(User, ct, AnswerTimeout)).ResponseStream.ReadAllAsync(ct))
                {
                    if (e.Started is { } started)
                        conversation = started.ConversationId;
                }
            }
            catch (RpcException e)
            {
                TempData["FlashError"] = BackendErrors.ForLearner(e, "Genie", logger);
            }
            return RedirectToPage(new { bot = Bot.Id, c = conversation });
        }

        await ServerSentEvents.StartAsync(Response);
        var answer = new StringBuilder();
        IReadOnlyList<Citation> citations = [];
        try
        {
            await foreach (var e in backends.Agent.Chat(request, calls.For(User, ct, AnswerTimeout)).ResponseStream.ReadAllAsync(ct))
            {
                switch (e.EventCase)
                {
                    case ChatEvent.EventOneofCase.Started:
                        await ServerSentEvents.WriteAsync(Response, "started", new { conversationId = e.Started.ConversationId, messageId = e.Started.MessageId }, ct);
                        break;
                    case ChatEvent.EventOneofCase.Delta:
                        answer.Append(e.Delta.Text);
                        await ServerSentEvents.WriteAsync(Response, "delta", new { text = e.Delta.Text }, ct);
                        break;
                    case ChatEvent.EventOneofCase.Fallback:
                        answer.Clear();
                        await ServerSentEvents.WriteAsync(Response, "fallback", new { reason = e.Fallback.Reason }, ct);
                        break;
                    case ChatEvent.EventOneofCase.Citations:
                        citations = e.Citations.Items;
                        await ServerSentEvents.WriteAsync(Response, "citations", new
                        {
                            html = ChatHtml.Citations(citations, Request.PathBase),
                            items = citations.Select(c => new { c.Marker, title = c.DocumentTitle, c.HeadingPath, c.Snippet, c.Uri }),
                        }, ct);
                        break;
                    case ChatEvent.EventOneofCase.Completed:
                        var done = e.Completed;
                        await ServerSentEvents.WriteAsync(Response, "completed", new
                        {
                            messageId = done.MessageId,
                            conversationId = done.ConversationId,
                            done.Incomplete,
                            done.NotCovered,
                            done.FallbackReason,
                        }, ct);
                        await ServerSentEvents.WriteAsync(Response, "answer", new
                        {
                            html = ChatHtml.Markdown(answer.ToString()),
                            citationsHtml = ChatHtml.Citations(citations, Request.PathBase),
                        }, ct);
                        break;
                }
            }
        }
        catch (RpcException e) when (!ct.IsCancellationRequested)
        {
            await ServerSentEvents.WriteAsync(Response, "error", new { message = BackendErrors.ForLearner(e, "Genie", logger) }, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // the person pressed Stop: the gRPC call is cancelled with the request
        }
        return new EmptyResult();
    }

    public async Task<IActionResult> OnPostFeedbackAsync([FromForm] string messageId, [FromForm] string rating)
    {
        var wantsJson = Request.Headers.Accept.Any(a => a?.Contains("application/json", StringComparison.OrdinalIgnoreCase) == true);
        try
        {
            var feedback = await backends.Agent.SubmitFeedbackAsync(new SubmitFeedbackRequest
            {
                MessageId = messageId ?? "",
                Rating = rating == "down" ? Rating.Down : rating == "up" ? Rating.Up : Rating.Unspecified,
            }, calls.For(User, HttpContext.RequestAborted, TimeSpan.FromSeconds(15)));
            if (wantsJson)
                return new JsonResult(new { ok = true, rating = feedback.Rating == Rating.Down ? "down" : "up" });
            TempData["Flash"] = "Thanks for the feedback.";
        }
        catch (RpcException e)
        {
            var error = BackendErrors.ForLearner(e, "Genie", logger);
            if (wantsJson)
                return new JsonResult(new { ok = false, message = error }) { StatusCode = 502 };
            TempData["FlashError"] = error;
        }
        return RedirectToPage(new { bot = BotId, c = ConversationId });
    }

    public async Task<IActionResult> OnPostRenameAsync([FromForm, StringLength(200)] string? title)
    {
        title = (title ?? "").Trim();
        try
        {
            await backends.Agent.RenameConversationAsync(new RenameConversationRequest { ConversationId = ConversationId ?? "", Title = title },
                calls.For(User, HttpContext.RequestAborted, TimeSpan.FromSeconds(15)));
            TempData["Flash"] = "Conversation renamed.";
        }
        catch (RpcException e)
        {
            TempData["FlashError"] = BackendErrors.ForLearner(e, "Genie", logger);
        }
        return RedirectToPage(new { bot = BotId, c = ConversationId });
    }

    public async Task<IActionResult> OnPostDeleteAsync()
    {
        try
        {
            await backends.Agent.DeleteConversationAsync(new DeleteConversationRequest { ConversationId = ConversationId ?? "" },
                calls.For(User, HttpContext.RequestAborted, TimeSpan.FromSeconds(15)));
            TempData["Flash"] = "Conversation deleted.";
        }
        catch (RpcException e)
        {
            TempData["FlashError"] = BackendErrors.ForLearner(e, "Genie", logger);
        }
        return RedirectToPage(new { bot = BotId });
    }

    public static Rating RatingOf(Message message) => message.Feedback?.Rating ?? Rating.Unspecified;

    /// <summary>The bot asked for, when the caller has it; else their first. Asking for one they lack is refused.</summary>
    private async Task<IActionResult?> ResolveBotAsync()
    {
        Bots = await assignments.AvailableToAsync(User.UserId(), User.Role(), HttpContext.RequestAborted);
        if (string.IsNullOrEmpty(BotId))
        {
            Bot = Bots.FirstOrDefault();
            return null;
        }
        Bot = Bots.FirstOrDefault(b => b.Id == BotId);
        return Bot is null ? Forbid() : null;
    }

    private async Task LoadAsync()
    {
        var ct = HttpContext.RequestAborted;
        try
        {
            var list = await backends.Agent.ListConversationsAsync(new ListConversationsRequest { Bot = Bot!.Id, PageSize = 100 },
                calls.For(User, ct, TimeSpan.FromSeconds(15)));
            Conversations = list.Conversations.OrderByDescending(c => c.UpdatedAt?.ToDateTimeOffset() ?? DateTimeOffset.MinValue).ToList();
            if (!string.IsNullOrEmpty(ConversationId))
                Conversation = await backends.Agent.GetConversationAsync(new GetConversationRequest { ConversationId = ConversationId },
                    calls.For(User, ct, TimeSpan.FromSeconds(15)));
        }
        catch (RpcException e)
        {
            LoadError = BackendErrors.ForLearner(e, "Genie", logger);
        }
    }
}
