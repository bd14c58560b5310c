using Dapper;
using Npgsql;

namespace Genie.Agent.Analytics;

/// <summary>One UTC calendar day of use; days without any use are absent from a query's rows.</summary>
public sealed record DayCounts(DateOnly Day, int Questions, int ActiveUsers, int NotCovered, int Helpful, int NotHelpful);

public sealed record PeriodCounts(
    int Questions, int ActiveUsers, int Answers, int NotCovered, int Incomplete, int Fallbacks, int Helpful, int NotHelpful, int Conversations);

/// <summary>Counts of questions, askers, answers and feedback per UTC day and over a period, read from the stored conversations.</summary>
public sealed class UsageStatsStore(NpgsqlDataSource db)
{
    private sealed class DayRow
    {
        public DateTime Day { get; set; }
        public int Questions { get; set; }
        public int ActiveUsers { get; set; }
        public int NotCovered { get; set; }
        public int Helpful { get; set; }
        public int NotHelpful { get; set; }
    }

    // Questions are user messages, answers assistant messages; feedback counts where it was last given.
    private const string Scoped =
        """
        with asked as (
            select (m.created_at at time zone 'UTC')::date as day, c.user_id
            from agent.messages m join agent.conversations c on c.id = m.conversation_id
            where m.role = 'user' and m.created_at >= @from and m.created_at < @to and (@bot::text is null or c.bot = @bot)
        ), answered as (
            select (m.created_at at time zone 'UTC')::date as day, m.not_covered, m.incomplete, m.fallback_reason is not null as fallback
            from agent.messages m join agent.conversations c on c.id = m.conversation_id
            where m.role = 'assistant' and m.created_at >= @from and m.created_at < @to and (@bot::text is null or c.bot = @bot)
        ), rated as (
            select (f.updated_at at time zone 'UTC')::date as day, f.rating
            from agent.feedback f join agent.messages m on m.id = f.message_id join agent.conversations c on c.id = m.conversation_id
            where f.updated_at >= @from and f.updated_at < @to and (@bot::text is null or c.bot = @bot)
        )
        """;

    /// <summary>Per-day counts for the days in [<paramref name="first"/>, <paramref name="last"/>] that saw any use, and the totals.</summary>
    public async Task<(IReadOnlyList<DayCounts> Days, PeriodCounts Period)> ReadAsync(DateOnly first, DateOnly last, string? bot, CancellationToken ct)
    {
        var args = new
        {
            from = first.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
            to = last.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
            bot,
        };
        await using var connection = await db.OpenConnectionAsync(ct);
        var days = await connection.QueryAsync<DayRow>(new CommandDefinition(
            Scoped +
            """
            select coalesce(q.day, a.day, r.day)::timestamp as day,
                   coalesce(q.questions, 0)::int as questions, coalesce(q.active_users, 0)::int as active_users,
                   coalesce(a.not_covered, 0)::int as not_covered,
                   coalesce(r.helpful, 0)::int as helpful, coalesce(r.not_helpful, 0)::int as not_helpful
            from (select day, count(*) as questions, count(distinct user_id) as active_users from asked group by day) q
            full join (select day, count(*) filter (where not_covered) as not_covered from answered group by day) a on a.day = q.day
            full join (select day, count(*) filter (where rating = 1) as helpful, count(*) filter (where rating = 2) as not_helpful
                       from rated group by day) r on r.day = coalesce(q.day, a.day)
            order by 1
            """, args, cancellationToken: ct));
        var period = await connection.QuerySingleAsync<PeriodCounts>(new CommandDefinition(
            Scoped +
            """
            select (select count(*) from asked)::int as questions,
                   (select count(distinct user_id) from asked)::int as active_users,
                   (select count(*) from answered)::int as answers,
                   (select count(*) from answered where not_covered)::int as not_covered,
                   (select count(*) from answered where incomplete)::int as incomplete,
                   (select count(*) from answered where fallback)::int as fallbacks,
                   (select count(*) from rated where rating = 1)::int as helpful,
                   (select count(*) from rated where rating = 2)::int as not_helpful,
                   (select count(*) from agent.conversations c
                    where c.created_at >= @from and c.created_at < @to and (@bot::text is null or c.bot = @bot))::int as conversations
            """, args, cancellationToken: ct));
        return (days.Select(d => new DayCounts(DateOnly.FromDateTime(d.Day), d.Questions, d.ActiveUsers, d.NotCovered, d.Helpful, d.NotHelpful)).ToList(), period);
    }
}
