using Genie.Contracts.Lms.V1;
using Grpc.Core;
using Genie.Web.Backends;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Genie.Web.Pages.Learn;

/// <summary>The signed-in person's own TalentLMS progress, last test and reminders, as LmsBridge reports them.</summary>
public sealed class ProgressModel(BackendClients backends, UserCalls calls, ILogger<ProgressModel> logger) : PageModel
{
    public LearnerProgress? Progress { get; private set; }

    public TestResult? LastTest { get; private set; }

    public IReadOnlyList<Reminder> Reminders { get; private set; } = [];

    public string? Error { get; private set; }

    public async Task OnGetAsync()
    {
        var options = calls.For(User, HttpContext.RequestAborted, TimeSpan.FromSeconds(15));
        try
        {
            var lms = backends.Lms;
            var progress = lms.GetMyProgressAsync(new GetMyProgressRequest(), options);
            var lastTest = lms.GetLastTestResultAsync(new GetLastTestResultRequest(), options);
            var reminders = lms.ListRemindersAsync(new ListRemindersRequest(), options);
            Progress = await progress;
            LastTest = await lastTest;
            Reminders = (await reminders).Reminders;
        }
        catch (RpcException e)
        {
            Error = BackendErrors.ForLearner(e, "Learning progress", logger);
        }
    }

    /// <summary>Acknowledges one of the caller's reminders (LmsBridge checks it is theirs); also posted from the home page.</summary>
    public async Task<IActionResult> OnPostAcknowledgeAsync(string id, string? returnUrl)
    {
        try
        {
            await backends.Lms.AcknowledgeReminderAsync(new AcknowledgeReminderRequest { Id = id ?? "" },
                calls.For(User, HttpContext.RequestAborted, TimeSpan.FromSeconds(15)));
            TempData["Flash"] = "Reminder dismissed.";
        }
        catch (RpcException e)
        {
            TempData["FlashError"] = BackendErrors.ForLearner(e, "Learning progress", logger);
        }
        return returnUrl is not null && Url.IsLocalUrl(returnUrl) ? LocalRedirect(returnUrl) : RedirectToPage();
    }
}
