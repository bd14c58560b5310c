using System.ComponentModel.DataAnnotations;
using Genie.Contracts.Agent.V1;
using Grpc.Core;
using Genie.Web.Backends;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Genie.Web.Pages;

/// <summary>What Genie remembers about the caller: preferences they set (edit) and facts it learned (delete).</summary>
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

    public IReadOnlyList<LearnedFact> Facts { get; private set; } = [];

    public Preferences? Saved { get; private set; }

    public string? LoadError { get; private set; }

    public async Task OnGetAsync()
    {
        await LoadAsync();
        if (Saved is { } p)
            Form = new PreferencesForm { AnswerLength = p.AnswerLength, Tone = p.Tone, Language = p.Language, RoleTeam = p.RoleTeam, Level = p.Level };
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
