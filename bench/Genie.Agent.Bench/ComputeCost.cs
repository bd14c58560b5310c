using System.Diagnostics;
using Genie.Agent.Chat;
using Genie.Agent.Knowledge;
using Genie.Agent.Memory;
using Genie.Agent.Models;
using Genie.Agent.Prompting;

namespace Genie.Agent.Bench;

/// <summary>
/// The Agent's own computing per chat with the built-in model, on one thread without I/O: the relevance gate over
/// the hits, the prompt with fenced sources, and the extractive answer. Medians, so a busy machine disturbs them little.
/// </summary>
public static class ComputeCost
{
    public static async Task PrintAsync(IKnowledgeSearch search, IReadOnlyList<string> questions, int rounds)
    {
        var inputs = new List<(string Question, IReadOnlyList<KnowledgeHit> Hits)>();
        foreach (var q in questions) inputs.Add((q, await search.SearchAsync(new KnowledgeQuery(q, "", [], 6), CancellationToken.None)));
        var gate = new List<double>();
        var prompt = new List<double>();
        var answer = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            foreach (var (question, hits) in inputs)
            {
                var t0 = Stopwatch.GetTimestamp();
                var relevant = RelevanceGate.Filter(question, hits, 0.5, 0);
                var t1 = Stopwatch.GetTimestamp();
                var messages = PromptBuilder.Build(new PromptInput("onboarding", question, question, relevant, UserProfile.Empty, null, []));
                var t2 = Stopwatch.GetTimestamp();
                BuiltinChatClient.Answer(messages);
                var t3 = Stopwatch.GetTimestamp();
                if (round < rounds / 4) continue; // warm-up
                gate.Add(Stopwatch.GetElapsedTime(t0, t1).TotalMicroseconds);
                prompt.Add(Stopwatch.GetElapsedTime(t1, t2).TotalMicroseconds);
                answer.Add(Stopwatch.GetElapsedTime(t2, t3).TotalMicroseconds);
            }
        }
        Console.WriteLine($"Agent computing per chat (one thread, median): relevance gate {Median(gate):F0} µs, prompt {Median(prompt):F0} µs, " +
                          $"built-in answer {Median(answer):F0} µs");
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }
}
