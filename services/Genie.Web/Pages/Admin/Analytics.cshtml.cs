using System.Globalization;
using Genie.Contracts.Agent.V1;
using Grpc.Core;
using Genie.Web.Backends;
using Genie.Web.Charts;
using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Genie.Web.Pages.Admin;

/// <summary>
/// How the bots are used, from the Agent: questions and active learners per UTC day, the share of
/// helpful answers, how often the documentation did not cover a question, and the biggest knowledge gaps.
/// </summary>
public sealed class AnalyticsModel(BackendClients backends, UserCalls calls) : PageModel
{
    public static readonly IReadOnlyList<int> Periods = [7, 30, 90];
    public const int TopGaps = 10;

    [BindProperty(SupportsGet = true, Name = "days")]
    public int Days { get; set; } = 30;

    public UsageStats? Stats { get; private set; }

    public IReadOnlyList<KnowledgeGapGroup> Gaps { get; private set; } = [];

    public string? Error { get; private set; }

    public ColumnChart? QuestionsChart { get; private set; }

    public ColumnChart? LearnersChart { get; private set; }

    public BarChart? FeedbackChart { get; private set; }

    public BarChart? GapsChart { get; private set; }

    public async Task OnGetAsync()
    {
        if (!Periods.Contains(Days))
            Days = 30;
        var ct = HttpContext.RequestAborted;
        try
        {
            Stats = await backends.Agent.GetUsageStatsAsync(new GetUsageStatsRequest { Days = Days }, calls.For(User, ct, TimeSpan.FromSeconds(15)));
            var since = DateTime.SpecifyKind(DateTime.ParseExact(Stats.FirstDay, "yyyy-MM-dd", CultureInfo.InvariantCulture), DateTimeKind.Utc);
            var gaps = await backends.Agent.ListKnowledgeGapsAsync(new ListKnowledgeGapsRequest { Since = Timestamp.FromDateTime(since), MaxGroups = TopGaps },
                calls.For(User, ct, TimeSpan.FromSeconds(15)));
            Gaps = gaps.Groups;
        }
        catch (RpcException e)
        {
            Error = BackendErrors.Describe(e, "Agent");
            return;
        }

        if (Stats.Questions > 0)
        {
            QuestionsChart = new ColumnChart("questions-per-day", "Questions asked each UTC day", DayColumns(Stats.Days, d => d.Questions), "questions");
            LearnersChart = new ColumnChart("learners-per-day", "Distinct people who asked each UTC day", DayColumns(Stats.Days, d => d.ActiveUsers), "learners");
        }
        if (Rated > 0)
        {
            FeedbackChart = new BarChart("feedback", "Answers rated helpful and not helpful",
                [new Bar("Helpful", Stats.Helpful), new Bar("Not helpful", Stats.NotHelpful)], width: 420, labelWidth: 110);
        }
        if (Gaps.Count > 0)
        {
            GapsChart = new BarChart("knowledge-gaps", "Questions the documentation did not cover, by topic",
                Gaps.Select(g => new Bar(g.RepresentativeQuestion, g.Count, $"{g.DistinctUsers} {(g.DistinctUsers == 1 ? "person" : "people")}")).ToList(),
                width: 480, labelWidth: 260);
        }
    }

    public int Rated => Stats is null ? 0 : Stats.Helpful + Stats.NotHelpful;

    /// <summary>"75%", or a dash when there is nothing to divide by.</summary>
    public static string Percent(int part, int whole) =>
        whole == 0 ? "—" : Math.Round(100.0 * part / whole).ToString(CultureInfo.InvariantCulture) + "%";

    /// <summary>One column per day; about eight of them labelled, today always.</summary>
    public static IReadOnlyList<Column> DayColumns(IReadOnlyList<DailyUsage> days, Func<DailyUsage, int> value)
    {
        var every = Math.Max(1, (int)Math.Ceiling(days.Count / 8.0));
        return days.Select((d, i) =>
        {
            var day = DateTime.ParseExact(d.Day, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            return new Column(d.Day, (days.Count - 1 - i) % every == 0 ? day.ToString("d MMM", CultureInfo.InvariantCulture) : "", value(d));
        }).ToList();
    }
}
