using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Genie.Contracts.Agent.V1;
using Genie.Faults.Tests.Dependencies;
using Genie.ServiceDefaults.Auth;
using Genie.ServiceDefaults.Clients;
using Genie.Testing;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Genie.Faults.Tests.Processes;

/// <summary>
/// The real app model (Genie.AppHost through Aspire.Hosting.Testing; DCP runs the processes) while the Agent
/// process is killed with SIGKILL in the middle of a stream of chats: the AppHost restarts it, chats resume, and
/// the database holds every completed turn exactly once and no half-stored turn.
/// </summary>
public sealed class AgentKillTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int Learners = 4;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Agent_killed_during_chats_is_restarted_and_every_completed_turn_is_stored_exactly_once()
    {
        var cluster = await PostgresCluster.GetSharedAsync();
        var database = await cluster.CreateDatabaseAsync("faults");
        var signingKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
        var state = Directory.CreateTempSubdirectory("genie-faults-").FullName;
        if (!OperatingSystem.IsWindows()) // the local cluster runs as the postgres OS user when tests run as root
            File.SetUnixFileMode(state, (UnixFileMode)0b111_101_101);
        using var patience = new CancellationTokenSource(Patience);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Genie_AppHost>(
        [
            $"--Genie:StateDirectory={state}",
            $"--Genie:Auth:SigningKey={signingKey}",
            $"--Genie:Ollama:Url=http://127.0.0.1:{FreePort.Next()}",
            $"--Genie:Portal:Port={FreePort.Next()}",
            $"--ConnectionStrings:genie={database}",
        ], (options, _) => options.DisableDashboard = true);
        await using var app = await builder.BuildAsync();
        await app.StartAsync(patience.Token);
        var notifications = app.Services.GetRequiredService<ResourceNotificationService>();
        await notifications.WaitForResourceHealthyAsync("agent", patience.Token);

        var tokens = new TokenService(new AuthOptions { SigningKey = AuthOptions.DecodeKey(signingKey) });
        using var channel = GrpcChannel.ForAddress(app.GetEndpoint("agent", "grpc"));
        var client = new AgentService.AgentServiceClient(channel);
        var outcomes = new ConcurrentBag<ChatOutcome>();
        var killed = new TaskCompletionSource();
        var learners = Enumerable.Range(0, Learners).Select(n => ChatUntilAsync(
            client, tokens.Issue($"learner-{n}", $"learner-{n}@example.test", $"Learner {n}", Roles.Learner), outcomes, killed.Task, patience.Token)).ToList();

        // Kill once every learner has completed a turn, while their next chats are in flight.
        while (outcomes.Count(o => o.Completed) < Learners) await Task.Delay(50, patience.Token);
        var agent = await notifications.WaitForResourceAsync("agent", e => e.Snapshot.State?.Text == KnownResourceStates.Running, patience.Token);
        var servicePid = ServicePid(agent.Snapshot);
        System.Diagnostics.Process.GetProcessById(servicePid).Kill(); // SIGKILL: no shutdown, no flush
        await notifications.WaitForResourceAsync("agent", e => e.Snapshot.State?.Text is "Exited" or "Finished" || Restarts(e.Snapshot) > 0, patience.Token);
        var restarted = await notifications.WaitForResourceHealthyAsync("agent", WaitBehavior.WaitOnResourceUnavailable, patience.Token);
        Assert.Equal(1, Restarts(restarted.Snapshot));
        Assert.NotEqual(servicePid, ServicePid(restarted.Snapshot));
        killed.SetResult();
        await Task.WhenAll(learners);

        output.WriteLine($"chats: {outcomes.Count(o => o.Completed)} completed; failed: " + string.Join(", ",
            outcomes.Where(o => !o.Completed).GroupBy(o => o.Failure).Select(g => $"{g.Key} ×{g.Count()} ({g.Count(o => o.ConversationId is not null)} after it started)")));
        var completed = outcomes.Where(o => o.Completed).Select(o => o.ConversationId!.Value).ToArray();
        var broken = outcomes.Where(o => !o.Completed && o.ConversationId is not null).Select(o => o.ConversationId!.Value).ToArray();
        Assert.True(completed.Length >= Learners * 3, $"{completed.Length} chats completed");
        Assert.Contains(outcomes, o => !o.Completed); // calls failed while the Agent was down
        await StoredMessages.AssertEveryTurnWholeAsync(database, completed, broken);

        await app.StopAsync(CancellationToken.None);
        Directory.Delete(state, recursive: true);
    }

    private sealed record ChatOutcome(Guid? ConversationId, bool Completed, StatusCode? Failure);

    /// <summary>One learner asking new questions back to back until the kill, then until two more answers completed.</summary>
    private static async Task ChatUntilAsync(
        AgentService.AgentServiceClient client, string token, ConcurrentBag<ChatOutcome> outcomes, Task killed, CancellationToken stop)
    {
        var completedAfter = 0;
        for (var n = 0; completedAfter < 2; n++)
        {
            stop.ThrowIfCancellationRequested();
            var wasKilled = killed.IsCompleted;
            Guid? conversation = null;
            try
            {
                using var call = client.Chat(new ChatRequest { Message = $"How do I request annual leave, question {n}?" },
                    BearerToken.Options(token, TimeSpan.FromSeconds(60), stop));
                await foreach (var e in call.ResponseStream.ReadAllAsync(stop))
                {
                    if (e.EventCase == ChatEvent.EventOneofCase.Started) conversation = Guid.Parse(e.Started.ConversationId);
                    if (e.EventCase == ChatEvent.EventOneofCase.Completed)
                    {
                        outcomes.Add(new ChatOutcome(conversation, true, null));
                        if (wasKilled) completedAfter++;
                    }
                }
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.Internal or StatusCode.Cancelled)
            {
                outcomes.Add(new ChatOutcome(conversation, false, e.StatusCode));
                if (!killed.IsCompleted) await Task.WhenAny(killed, Task.Delay(TimeSpan.FromMilliseconds(200), stop)); // down: retry soon
            }
        }
    }

    /// <summary>The AppHost's count of crash restarts (see Genie.AppHost/Restarts).</summary>
    private static int Restarts(CustomResourceSnapshot snapshot) =>
        snapshot.Properties.FirstOrDefault(p => p.Name == "restarts")?.Value is { } value ? Convert.ToInt32(value, CultureInfo.InvariantCulture) : 0;

    private static int ServicePid(CustomResourceSnapshot snapshot)
    {
        var launcher = Convert.ToInt32(snapshot.Properties.First(p => p.Name == "executable.pid").Value, CultureInfo.InvariantCulture);
        // DCP runs a project as `dotnet run`; the service is its child.
        return ProcFs.Children(launcher).DefaultIfEmpty(launcher).First();
    }
}
