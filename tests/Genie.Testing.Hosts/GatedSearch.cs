using Genie.Agent.Knowledge;

namespace Genie.Testing.Hosts;

/// <summary>
/// Knowledge search that holds every chat at its search step until <see cref="Open"/>: tests keep streams
/// open for as long as they need and learn, by event, when each one has got that far.
/// </summary>
public sealed class GatedSearch : IKnowledgeSearch
{
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _entered = new(0);

    public async Task<IReadOnlyList<KnowledgeHit>> SearchAsync(KnowledgeQuery query, CancellationToken cancellationToken)
    {
        _entered.Release();
        await _open.Task.WaitAsync(cancellationToken);
        return [new KnowledgeHit("c1", "kb1", "Badges are collected at the front desk of building 2 on your first day.",
            "Badges are collected at the front desk.", "Badges", "https://handbook.example/badges", "Badges", "handbook", 0.9)];
    }

    /// <summary>Waits until <paramref name="count"/> more chats have reached the search.</summary>
    public async Task WaitForSearchesAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            if (!await _entered.WaitAsync(TimeSpan.FromMinutes(2)))
                throw new TimeoutException("A chat never reached its search.");
        }
    }

    public void Open() => _open.TrySetResult();
}
