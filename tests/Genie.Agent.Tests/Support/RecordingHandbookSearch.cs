using System.Collections.Concurrent;
using Genie.Agent.Knowledge;
using Genie.Agent.Text;

namespace Genie.Agent.Tests.Support;

/// <summary>
/// Ranks the fixture handbook's sections by shared terms and records every query with the token it
/// carried: for tests of the Agent's own behaviour (fallback, fencing, cancellation, token forwarding).
/// Tests of answers over a real index run against the Retrieval service.
/// </summary>
public sealed class RecordingHandbookSearch : IKnowledgeSearch
{
    private readonly IReadOnlyList<KnowledgeHit> _sections = Directory.GetFiles(HandbookFixture.Folder, "*.md")
        .Order(StringComparer.Ordinal)
        .SelectMany(f => HandbookFixture.Sections(Path.GetFileName(f)))
        .ToList();

    public ConcurrentQueue<KnowledgeQuery> Queries { get; } = new();

    public Task<IReadOnlyList<KnowledgeHit>> SearchAsync(KnowledgeQuery query, CancellationToken cancellationToken)
    {
        Queries.Enqueue(query);
        var terms = Terms.SetOf(query.Text);
        IReadOnlyList<KnowledgeHit> hits = _sections
            .Select(s => (Hit: s, Shared: Terms.SetOf($"{s.DocumentTitle} {s.HeadingPath} {s.Text}").Count(terms.Contains)))
            .Where(x => x.Shared > 0)
            .OrderByDescending(x => x.Shared).ThenBy(x => x.Hit.ChunkId, StringComparer.Ordinal)
            .Take(query.TopK)
            .Select(x => x.Hit with { Score = x.Shared / (double)Math.Max(1, terms.Count) })
            .ToList();
        return Task.FromResult(hits);
    }
}
