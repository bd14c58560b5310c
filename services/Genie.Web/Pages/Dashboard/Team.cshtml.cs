using Genie.Contracts.Lms.V1;
using Grpc.Core;
using Genie.Web.Audit;
using Genie.Web.Backends;
using Genie.Web.Charts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Genie.Web.Pages.Dashboard;

/// <summary>
/// Team progress from LmsBridge: instructors see learners in the courses they teach in TalentLMS,
/// admins everyone. Filters by course, status and name; a completion chart; assign a course.
/// </summary>
public sealed class TeamModel(BackendClients backends, UserCalls calls, AuditLog audit) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "course")]
    public string? CourseFilter { get; set; }

    [BindProperty(SupportsGet = true, Name = "status")]
    public string? StatusFilter { get; set; }

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Query { get; set; }

    /// <summary>Every row in the caller's scope (before the status and name filters).</summary>
    public IReadOnlyList<TeamMemberProgress> AllRows { get; private set; } = [];

    public IReadOnlyList<TeamMemberProgress> Rows { get; private set; } = [];

    public IReadOnlyList<(string Id, string Name)> Courses { get; private set; } = [];

    public TeamProgress? Team { get; private set; }

    public string? Error { get; private set; }

    public BarChart? Chart { get; private set; }

    public static readonly IReadOnlyList<(string Value, string Label)> Statuses =
    [
        ("not-started", "Not started"),
        ("in-progress", "In progress"),
        ("completed", "Completed"),
        ("failed-tests", "With failed tests"),
    ];

    public async Task OnGetAsync()
    {
        try
        {
            Team = await backends.Lms.GetTeamProgressAsync(new GetTeamProgressRequest(), calls.For(User, HttpContext.RequestAborted, TimeSpan.FromSeconds(15)));
        }
        catch (RpcException e)
        {
            Error = BackendErrors.Describe(e, "Team progress");
            return;
        }
        AllRows = Team.Rows;
        Courses = AllRows.GroupBy(r => r.CourseId).Select(g => (g.Key, g.First().CourseName)).OrderBy(c => c.Item2, StringComparer.OrdinalIgnoreCase).ToList();
        Rows = AllRows.Where(Matches).OrderBy(r => r.CourseName, StringComparer.OrdinalIgnoreCase).ThenBy(r => r.Name, StringComparer.OrdinalIgnoreCase).ToList();
        var chartRows = AllRows.Where(r => string.IsNullOrEmpty(CourseFilter) || r.CourseId == CourseFilter);
        Chart = new BarChart("team-completion", "Average completion per course",
            chartRows.GroupBy(r => r.CourseId)
                .Select(g => new Bar(g.First().CourseName, Math.Round(g.Average(r => r.CompletionPercent)), $"{g.Count()} learner{(g.Count() == 1 ? "" : "s")}"))
                .OrderBy(b => b.Label, StringComparer.OrdinalIgnoreCase)
                .ToList(),
            max: 100, unit: "%");
    }

    public async Task<IActionResult> OnPostAssignAsync(string learnerEmail, string courseId)
    {
        learnerEmail = (learnerEmail ?? "").Trim();
        courseId = (courseId ?? "").Trim();
        try
        {
            var result = await backends.Lms.AssignCourseAsync(new AssignCourseRequest { LearnerEmail = learnerEmail, CourseId = courseId },
                calls.For(User, HttpContext.RequestAborted, TimeSpan.FromSeconds(60)));
            await audit.WriteAsync(AuditActor.From(User), "lms.assign", learnerEmail, $"course {courseId}{(result.AlreadyEnrolled ? " (already enrolled)" : "")}", HttpContext.RequestAborted);
            TempData["Flash"] = result.AlreadyEnrolled
                ? $"{learnerEmail} was already enrolled in course {courseId}."
                : $"{learnerEmail} is now enrolled in course {courseId} in TalentLMS. Progress appears after the next sync.";
        }
        catch (RpcException e)
        {
            TempData["FlashError"] = "Could not assign the course: " + BackendErrors.Describe(e, "LmsBridge");
        }
        return RedirectToPage(new { course = CourseFilter, status = StatusFilter, q = Query });
    }

    private bool Matches(TeamMemberProgress row) =>
        (string.IsNullOrEmpty(CourseFilter) || row.CourseId == CourseFilter)
        && StatusFilter switch
        {
            "not-started" => row.Status == CourseStatus.NotStarted,
            "in-progress" => row.Status == CourseStatus.InProgress,
            "completed" => row.Status == CourseStatus.Completed,
            "failed-tests" => row.FailedTests > 0,
            _ => true,
        }
        && (string.IsNullOrWhiteSpace(Query)
            || row.Name.Contains(Query.Trim(), StringComparison.OrdinalIgnoreCase)
            || row.Email.Contains(Query.Trim(), StringComparison.OrdinalIgnoreCase));
}
