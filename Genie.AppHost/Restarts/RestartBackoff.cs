namespace Genie.AppHost.Restarts;

/// <summary>
/// Delay before restarting a crashed process: 1 s, 2 s, 4 s … up to 30 s, back to 1 s once the
/// process had stayed up for a minute (a crash after a long run is not a crash loop).
/// </summary>
internal sealed class RestartBackoff
{
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StableAfter = TimeSpan.FromMinutes(1);
    private int _consecutive;

    public TimeSpan Next(TimeSpan upFor)
    {
        if (upFor >= StableAfter)
            _consecutive = 0;
        var delay = TimeSpan.FromSeconds(Math.Pow(2, Math.Min(_consecutive, 5)));
        _consecutive++;
        return delay < Max ? delay : Max;
    }
}
