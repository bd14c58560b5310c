using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Genie.Contracts.Agent.V1;
using Genie.Contracts.Retrieval.V1;
using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Rpc;
using Genie.Testing;
using Genie.Testing.Hosts;
using Grpc.Core;

namespace Genie.Faults.Tests.Dependencies;

/// <summary>
/// Retrieval and the Agent (composed as their Program.cs do) over a PostgreSQL cluster of this test's own, while
/// learners chat: the server is stopped (<c>pg_ctl stop -m fast</c>) and started again under them. Calls fail at once
/// with UNAVAILABLE in plain words, health says not ready, and the same processes serve again once it is back.
/// </summary>
public sealed class PostgresRestartTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int Learners = 4;
    private static readonly TimeSpan CallDeadline = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    private enum Phase { Up, Down, Restarting, Back }

    private sealed record Outcome(Phase Phase, Phase Ended, Guid? ConversationId, bool Completed, StatusCode? Status, string Detail, TimeSpan Took);

    [Fact]
    public async Task PostgreSQL_stopped_under_chats_fails_calls_fast_with_unavailable_and_the_services_recover_when_it_is_back()
    {
        await using var cluster = await PostgresCluster.StartPrivateAsync();
        var database = await cluster.CreateDatabaseAsync("genie");
        var onDatabase = new Dictionary<string, string?> { ["ConnectionStrings:genie"] = database };
        await using var retrieval = await RetrievalTestHost.StartAsync(onDatabase);
        await using var agent = await AgentTestHost.StartAsync(null, TestSettings.Merge(retrieval.ClientSettings, onDatabase));
        await retrieval.CreateKbWithDocumentsAsync("Handbook", new Grants { Roles = { Roles.Learner } }, [("badges.md", SampleDocuments.BuildingBadges)]);
        using var patience = new CancellationTokenSource(Patience);
        using var health = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        var phase = (int)Phase.Up; // read by the learners' loops
        var outcomes = new ConcurrentBag<Outcome>();
        var learners = Enumerable.Range(0, Learners).Select(n => Task.Run(async () =>
        {
            var options = agent.As($"learner-{n}");
            var answeredAfterRestart = 0;
            for (var question = 0; answeredAfterRestart < 2; question++)
            {
                var asked = (Phase)Volatile.Read(ref phase);
                var clock = Stopwatch.StartNew();
                Guid? conversation = null;
                try
                {
                    using var call = agent.Client.Chat(new ChatRequest { Message = $"Where do I collect my building badge, learner {n} question {question}?" },
                        options.WithDeadline(DateTime.UtcNow + CallDeadline).WithCancellationToken(patience.Token));
                    var completed = false;
                    await foreach (var e in call.ResponseStream.ReadAllAsync(patience.Token))
                    {
                        if (e.EventCase == ChatEvent.EventOneofCase.Started) conversation = Guid.Parse(e.Started.ConversationId);
                        if (e.EventCase == ChatEvent.EventOneofCase.Completed) completed = true;
                    }
                    outcomes.Add(new Outcome(asked, (Phase)Volatile.Read(ref phase), conversation, completed, null, "", clock.Elapsed));
                    if (completed && asked == Phase.Back) answeredAfterRestart++;
                }
                catch (RpcException e) when (!patience.IsCancellationRequested)
                {
                    outcomes.Add(new Outcome(asked, (Phase)Volatile.Read(ref phase), conversation, false, e.StatusCode, e.Status.Detail, clock.Elapsed));
                    await Task.Delay(TimeSpan.FromMilliseconds(100), patience.Token); // the database is down: ask again soon
                }
            }
        })).ToList();

        // Stop PostgreSQL once every learner has had an answer, while their next chats are in flight.
        await UntilAsync(() => outcomes.Count(o => o.Completed) >= Learners, patience.Token);
        await cluster.StopAsync();
        Volatile.Write(ref phase, (int)Phase.Down);

        await UntilAsync(() => outcomes.Count(o => o.Phase == Phase.Down && o.Ended == Phase.Down) >= Learners * 2, patience.Token);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await HealthAsync(health, agent.Host.HttpAddress));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await HealthAsync(health, retrieval.Host.HttpAddress));
        var list = await Assert.ThrowsAsync<RpcException>(async () => await retrieval.Client.ListKnowledgeBasesAsync(
            new ListKnowledgeBasesRequest(), retrieval.As(Roles.Learner).WithDeadline(DateTime.UtcNow + CallDeadline)));
        Assert.Equal(StatusCode.Unavailable, list.StatusCode);
        Assert.Equal(UnhandledExceptionInterceptor.DatabaseUnavailable, list.Status.Detail);

        Volatile.Write(ref phase, (int)Phase.Restarting);
        await cluster.StartAgainAsync();
        Volatile.Write(ref phase, (int)Phase.Back);
        await UntilAsync(async () => await HealthAsync(health, agent.Host.HttpAddress) == HttpStatusCode.OK
                                     && await HealthAsync(health, retrieval.Host.HttpAddress) == HttpStatusCode.OK, patience.Token);
        await Task.WhenAll(learners);

        output.WriteLine(string.Join('\n', Enum.GetValues<Phase>().Select(p =>
            $"{p}: {outcomes.Count(o => o.Phase == p && o.Completed)} completed; failed: " + string.Join(", ", outcomes
                .Where(o => o.Phase == p && !o.Completed).GroupBy(o => (o.Status, o.Detail)).Select(g => $"{g.Key.Status} \"{g.Key.Detail}\" ×{g.Count()}"))
            + $"; slowest failure {outcomes.Where(o => o.Phase == p && !o.Completed).Select(o => o.Took.TotalSeconds).DefaultIfEmpty().Max():0.0} s")));

        // While PostgreSQL was down every chat failed, at once (no deadline ran out), as UNAVAILABLE in plain words.
        var down = outcomes.Where(o => o.Phase == Phase.Down && o.Ended == Phase.Down).ToList();
        Assert.All(down, o => Assert.False(o.Completed));
        Assert.All(outcomes.Where(o => !o.Completed), o =>
        {
            Assert.Equal(StatusCode.Unavailable, o.Status);
            Assert.Contains(o.Detail, new[] { UnhandledExceptionInterceptor.DatabaseUnavailable, Genie.Agent.Knowledge.RetrievalKnowledgeSearch.Unavailable });
            Assert.True(o.Took < CallDeadline / 2, $"a failed chat took {o.Took}");
        });
        // Back: the same processes answer again, and each learner had two answers after the restart.
        Assert.True(outcomes.Count(o => o.Phase == Phase.Back && o.Completed) >= Learners * 2);

        // This process's own idle connections (the SQL checks') died with the server: open new ones.
        using (var reader = new Npgsql.NpgsqlConnection(database))
            Npgsql.NpgsqlConnection.ClearPool(reader);
        var completed = outcomes.Where(o => o.Completed).Select(o => o.ConversationId!.Value).ToArray();
        var broken = outcomes.Where(o => !o.Completed && o.ConversationId is not null).Select(o => o.ConversationId!.Value).ToArray();
        await StoredMessages.AssertEveryTurnWholeAsync(database, completed, broken);
    }

    private static async Task<HttpStatusCode> HealthAsync(HttpClient http, Uri service)
    {
        using var response = await http.GetAsync(new Uri(service, "/health"));
        return response.StatusCode;
    }

    private static async Task UntilAsync(Func<bool> condition, CancellationToken patience)
    {
        while (!condition()) await Task.Delay(50, patience);
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, CancellationToken patience)
    {
        while (!await condition()) await Task.Delay(200, patience);
    }
}
