using System.ComponentModel.DataAnnotations;
using Genie.Contracts.Lms.V1;
using Grpc.Core;
using Genie.Web.Audit;
using Genie.Web.Backends;
using Genie.Web.Learning;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Genie.Web.Pages.Admin;

/// <summary>
/// TalentLMS settings (forwarded to LmsBridge, which stores the key encrypted and never returns it),
/// a connection test, sync now with live progress, and the recent sync runs.
/// </summary>
public sealed class LmsModel(BackendClients backends, UserCalls calls, AuditLog audit) : PageModel
{
    private static readonly IReadOnlyDictionary<string, string> FormFields = new Dictionary<string, string>
    {
        ["domain"] = "Form.Domain",
        ["api_key"] = "Form.ApiKey",
        ["sync_interval_minutes"] = "Form.SyncIntervalMinutes",
        ["no_progress_days"] = "Form.NoProgressDays",
        ["due_soon_days"] = "Form.DueSoonDays",
    };

    [BindProperty]
    public SettingsForm Form { get; set; } = new();

    public LmsSettings? Settings { get; private set; }

    public IReadOnlyList<SyncRun> Runs { get; private set; } = [];

    public string? LoadError { get; private set; }

    public TestLmsConnectionResponse? TestResult { get; private set; }

    public async Task OnGetAsync()
    {
        await LoadAsync();
        if (Settings is not null)
        {
            Form = new SettingsForm
            {
                Domain = Settings.Domain,
                SyncIntervalMinutes = Settings.SyncIntervalMinutes,
                NoProgressDays = Settings.NoProgressDays,
                DueSoonDays = Settings.DueSoonDays,
            };
        }
    }

    public async Task<IActionResult> OnPostSaveAsync()
    {
        if (ModelState.IsValid)
        {
            try
            {
                var saved = await backends.Lms.SetLmsSettingsAsync(new SetLmsSettingsRequest
                {
                    Domain = Form.Domain.Trim(),
                    ApiKey = (Form.ApiKey ?? "").Trim(),
                    SyncIntervalMinutes = Form.SyncIntervalMinutes,
                    NoProgressDays = Form.NoProgressDays,
                    DueSoonDays = Form.DueSoonDays,
                }, Call());
                await audit.WriteAsync(AuditActor.From(User), "lms.settings.update", saved.Domain,
                    string.IsNullOrWhiteSpace(Form.ApiKey) ? "API key kept" : $"API key replaced (ends in {saved.ApiKeyLast4})", HttpContext.RequestAborted);
                TempData["Flash"] = "TalentLMS settings saved.";
                return RedirectToPage();
            }
            catch (RpcException e) when (BackendErrors.AddToModelState(e, ModelState, FormFields))
            {
            }
            catch (RpcException e)
            {
                ModelState.AddModelError("", BackendErrors.Describe(e, "LmsBridge"));
            }
        }
        Form.ApiKey = null; // a typed key is never echoed back into the page
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostTestAsync()
    {
        ModelState.Clear(); // testing does not need a complete form
        try
        {
            TestResult = await backends.Lms.TestLmsConnectionAsync(new TestLmsConnectionRequest
            {
                Domain = (Form.Domain ?? "").Trim(),
                ApiKey = (Form.ApiKey ?? "").Trim(),
            }, Call(TimeSpan.FromMinutes(2)));
        }
        catch (RpcException e)
        {
            TestResult = new TestLmsConnectionResponse { Ok = false, Error = BackendErrors.Describe(e, "LmsBridge") };
        }
        Form.ApiKey = null;
        await LoadAsync();
        return Page();
    }

    /// <summary>Runs a sync: streamed as Server-Sent Events to the page's script, else run to the end and redirected.</summary>
    public async Task<IActionResult> OnPostSyncAsync()
    {
        var ct = HttpContext.RequestAborted;
        await audit.WriteAsync(AuditActor.From(User), "lms.sync", "talentlms", "manual sync started", ct);
        if (ServerSentEvents.Requested(Request))
        {
            await ServerSentEvents.StartAsync(Response);
            try
            {
                await foreach (var step in backends.Lms.SyncNow(new SyncNowRequest(), Call(TimeSpan.FromMinutes(30))).ResponseStream.ReadAllAsync(ct))
                    await ServerSentEvents.WriteAsync(Response, step.Run is null ? "progress" : "done", SyncEvent(step), ct);
            }
            catch (RpcException e) when (!ct.IsCancellationRequested)
            {
                await ServerSentEvents.WriteAsync(Response, "failed", new { message = BackendErrors.Describe(e, "LmsBridge") }, ct);
            }
            return new EmptyResult();
        }

        try
        {
            SyncProgress? last = null;
            await foreach (var step in backends.Lms.SyncNow(new SyncNowRequest(), Call(TimeSpan.FromMinutes(30))).ResponseStream.ReadAllAsync(ct))
                last = step;
            if (last?.Run is { } run)
                TempData[run.State is SyncState.Succeeded ? "Flash" : "FlashError"] = SyncSummary(run);
        }
        catch (RpcException e)
        {
            TempData["FlashError"] = "Sync failed: " + BackendErrors.Describe(e, "LmsBridge");
        }
        return RedirectToPage();
    }

    public static string SyncSummary(SyncRun run) => run.State switch
    {
        SyncState.Succeeded => $"Sync succeeded: {run.Users} users, {run.Courses} courses, {run.Enrollments} enrolments ({run.ApiCalls} TalentLMS calls).",
        SyncState.Partial => $"Sync partly succeeded: {run.Failures.Count} part(s) kept their previous data. {run.Error}".Trim(),
        _ => $"Sync failed; the previous data is intact. {run.Error}".Trim(),
    };

    private static object SyncEvent(SyncProgress step) => new
    {
        state = LmsText.State(step.State),
        stage = step.Stage,
        done = step.Done,
        total = step.Total,
        message = step.Message,
        summary = step.Run is null ? null : SyncSummary(step.Run),
    };

    private CallOptions Call(TimeSpan? timeout = null) =>
        calls.For(User, HttpContext.RequestAborted, timeout ?? TimeSpan.FromSeconds(30));

    private async Task LoadAsync()
    {
        try
        {
            var settings = backends.Lms.GetLmsSettingsAsync(new GetLmsSettingsRequest(), Call());
            var runs = backends.Lms.ListSyncRunsAsync(new ListSyncRunsRequest { Limit = 10 }, Call());
            Settings = await settings;
            Runs = (await runs).Runs;
        }
        catch (RpcException e)
        {
            LoadError = BackendErrors.Describe(e, "LmsBridge");
        }
    }

    public sealed class SettingsForm
    {
        [Required(ErrorMessage = "Enter your TalentLMS domain, e.g. acme for acme.talentlms.com.")]
        [StringLength(200)]
        public string Domain { get; set; } = "";

        /// <summary>Write-only: empty keeps the stored key.</summary>
        [StringLength(200)]
        public string? ApiKey { get; set; }

        [Range(5, 10080, ErrorMessage = "Sync every 5 minutes to 7 days (10080 minutes).")]
        public int SyncIntervalMinutes { get; set; } = 60;

        [Range(1, 365, ErrorMessage = "Between 1 and 365 days.")]
        public int NoProgressDays { get; set; } = 7;

        [Range(1, 365, ErrorMessage = "Between 1 and 365 days.")]
        public int DueSoonDays { get; set; } = 3;
    }
}
