using System.ComponentModel.DataAnnotations;
using Genie.Contracts.Agent.V1;
using Genie.Contracts.Lms.V1;
using Grpc.Core;
using Genie.Web.Backends;
using Genie.Web.Learning;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Genie.Web.Pages;

/// <summary>
/// What Genie remembers about the caller: preferences they set (edit) and facts it learned (delete), and their
/// reminder settings (LmsBridge's, for the caller only: the token says who they are).
/// </summary>
public sealed class PreferencesModel(BackendClients backends, UserCalls calls, ILogger<PreferencesModel> logger) : PageModel
{
    private static readonly IReadOnlyDictionary<string, string> FormFields = new Dictionary<string, string>
    {
        ["answer_length"] = "Form.AnswerLength",
        ["tone"] = "Form.Tone",
        ["language"] = "Form.Language",
        ["role_team"] = "Form.RoleTeam",
        ["level"] = "Form.Level",
    };

    public static readonly IReadOnlyList<(AnswerLength Value, string Label)> Lengths =
    [
        (AnswerLength.Unspecified, "No preference"),
        (AnswerLength.Short, "Short"),
        (AnswerLength.Medium, "Medium"),
        (AnswerLength.Long, "Long"),
    ];

    [BindProperty]
    public PreferencesForm Form { get; set; } = new();

    private const string ReminderService = "The reminder service";

    [BindProperty]
    public ReminderSettings Reminders { get; set; } = new();

    public IReadOnlyList<LearnedFact> Facts { get; private set; } = [];

    /// <summary>Why the Reminders section cannot be shown (LmsBridge unreachable); the rest of the page still works.</summary>
    public string? RemindersError { get; private set; }

    public Preferences? Saved { get; private set; }

    public string? LoadError { get; private set; }

    public async Task OnGetAsync()
    {
        await LoadAsync();
        ShowSavedPreferences();
        await ShowSavedRemindersAsync();
    }

    public async Task<IActionResult> OnPostSaveAsync()
    {
        if (ModelState.IsValid)
        {
            try
            {
                await backends.Agent.SetPreferencesAsync(new SetPreferencesRequest
                {
                    Preferences = new Preferences
                    {
                        AnswerLength = Form.AnswerLength,
                        Tone = (Form.Tone ?? "").Trim(),
                        Language = (Form.Language ?? "").Trim(),
                        RoleTeam = (Form.RoleTeam ?? "").Trim(),
                        Level = (Form.Level ?? "").Trim(),
                    },
                }, calls.For(User, HttpContext.RequestAborted, TimeSpan.FromSeconds(15)));
                TempData["Flash"] = "Preferences saved. Genie uses them from your next question.";
                return RedirectToPage();
            }
            catch (RpcException e) when (BackendErrors.AddToModelState(e, ModelState, FormFields))
            {
            }
            catch (RpcException e)
            {
                ModelState.AddModelError("", BackendErrors.ForLearner(e, "Genie", logger));
            }
        }
        await LoadAsync();
        await ShowSavedRemindersAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostRemindersAsync()
    {
        foreach (var (field, problem) in Reminders.Problems())
            ModelState.AddModelError(field, problem);
        if (ModelState.ErrorCount == 0)
        {
            try
            {
                var lms = backends.Lms;
                // Read right before writing, so a Slack choice made with /genie reminders since the page was shown stays.
                var stored = await lms.GetReminderPreferencesAsync(new GetReminderPreferencesRequest(), LmsCall());
                await lms.SetReminderPreferencesAsync(Reminders.ToPreferences(stored), LmsCall());
                TempData["Flash"] = "Reminder settings saved.";
                return RedirectToPage();
            }
            catch (RpcException e) when (BackendErrors.AddToModelState(e, ModelState, ReminderSettings.FormFields))
            {
            }
            catch (RpcException e)
            {
                ModelState.AddModelError("Reminders", BackendErrors.ForLearner(e, ReminderService, logger));
            }
        }
        await LoadAsync();
        ShowSavedPreferences();
        return Page();
    }

    public async Task<IActionResult> OnPostForgetAsync([FromForm] string factId)
    {
        try
        {
            await backends.Agent.DeleteLearnedFactAsync(new DeleteLearnedFactRequest { FactId = factId ?? "" },
                calls.For(User, HttpContext.RequestAborted, TimeSpan.FromSeconds(15)));
            TempData["Flash"] = "Genie forgot that.";
        }
        catch (RpcException e)
        {
            TempData["FlashError"] = BackendErrors.ForLearner(e, "Genie", logger);
        }
        return RedirectToPage();
    }

    private void ShowSavedPreferences()
    {
        if (Saved is { } p)
            Form = new PreferencesForm { AnswerLength = p.AnswerLength, Tone = p.Tone, Language = p.Language, RoleTeam = p.RoleTeam, Level = p.Level };
    }

    private async Task ShowSavedRemindersAsync()
    {
        try
        {
            Reminders = ReminderSettings.From(await backends.Lms.GetReminderPreferencesAsync(new GetReminderPreferencesRequest(), LmsCall()));
        }
        catch (RpcException e)
        {
            RemindersError = BackendErrors.ForLearner(e, ReminderService, logger);
        }
    }

    private CallOptions LmsCall() => calls.For(User, HttpContext.RequestAborted, TimeSpan.FromSeconds(15));

    private async Task LoadAsync()
    {
        var ct = HttpContext.RequestAborted;
        try
        {
            Saved = await backends.Agent.GetPreferencesAsync(new GetPreferencesRequest(), calls.For(User, ct, TimeSpan.FromSeconds(15)));
            Facts = (await backends.Agent.ListLearnedFactsAsync(new ListLearnedFactsRequest(), calls.For(User, ct, TimeSpan.FromSeconds(15)))).Facts;
        }
        catch (RpcException e)
        {
            LoadError = BackendErrors.ForLearner(e, "Genie", logger);
        }
    }

    public sealed class PreferencesForm
    {
        [Display(Name = "Answer length")]
        public AnswerLength AnswerLength { get; set; }

        [StringLength(100), Display(Name = "Tone")]
        public string? Tone { get; set; }

        [StringLength(100), Display(Name = "Language")]
        public string? Language { get; set; }

        [StringLength(200), Display(Name = "Role and team")]
        public string? RoleTeam { get; set; }

        [StringLength(100), Display(Name = "Experience level")]
        public string? Level { get; set; }
    }
}
