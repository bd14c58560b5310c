namespace Genie.Slack.Settings;

/// <summary>The secrets in use. <see cref="ToString"/> never shows them (records print their properties).</summary>
public sealed record SlackCredentials(string? BotToken, string? AppToken, string? SigningSecret)
{
    public static readonly SlackCredentials None = new(null, null, null);

    /// <summary>With a bot token the adapter works; without one it stays idle.</summary>
    public bool Configured => !string.IsNullOrWhiteSpace(BotToken);

    public bool SocketMode => Configured && !string.IsNullOrWhiteSpace(AppToken);

    public bool EventsApi => Configured && !string.IsNullOrWhiteSpace(SigningSecret);

    public override string ToString() => $"SlackCredentials(configured: {Configured}, socket mode: {SocketMode}, events api: {EventsApi})";
}

/// <summary>
/// The Slack credentials in effect right now: each secret saved in the portal wins over configuration
/// (<c>Genie:Slack:*</c>). A save replaces them at once and cancels <see cref="Changed"/>, which Socket Mode,
/// the workers and the reminder loop watch, so a new token takes effect without a restart.
/// </summary>
public sealed class SlackSecrets
{
    private readonly SlackCredentials _configured;
    private readonly Lock _gate = new();
    private State _state;

    public SlackSecrets(SlackOptions options)
    {
        _configured = new SlackCredentials(Blank(options.BotToken), Blank(options.AppToken), Blank(options.SigningSecret));
        _state = new State(SlackCredentials.None, _configured, new CancellationTokenSource());
    }

    public SlackCredentials Current => Volatile.Read(ref _state).Effective;

    /// <summary>What was saved in the portal (null where nothing is).</summary>
    public SlackCredentials Saved => Volatile.Read(ref _state).Saved;

    /// <summary>What configuration provides.</summary>
    public SlackCredentials Configuration => _configured;

    /// <summary>Cancelled when <see cref="Current"/> changes; read it again for the next change.</summary>
    public CancellationToken Changed => Volatile.Read(ref _state).Signal.Token;

    /// <summary>Uses the secrets saved in the portal; signals a change only when the credentials in effect differ.</summary>
    public void Apply(SlackCredentials saved)
    {
        lock (_gate)
        {
            var effective = new SlackCredentials(
                saved.BotToken ?? _configured.BotToken,
                saved.AppToken ?? _configured.AppToken,
                saved.SigningSecret ?? _configured.SigningSecret);
            var old = _state;
            if (old.Effective == effective)
            {
                _state = old with { Saved = saved };
                return;
            }
            _state = new State(saved, effective, new CancellationTokenSource());
            old.Signal.Cancel();
        }
    }

    /// <summary>Returns once a bot token is in effect (at once when there is one).</summary>
    public async Task WhenConfiguredAsync(CancellationToken ct)
    {
        while (!Current.Configured)
            await WhenChangedAsync(Changed, ct);
    }

    /// <summary>Waits until <paramref name="changed"/> fires (or <paramref name="ct"/> does, which throws).</summary>
    public static async Task WhenChangedAsync(CancellationToken changed, CancellationToken ct)
    {
        using var both = CancellationTokenSource.CreateLinkedTokenSource(changed, ct);
        try
        {
            await Task.Delay(Timeout.Infinite, both.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
        }
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private sealed record State(SlackCredentials Saved, SlackCredentials Effective, CancellationTokenSource Signal);
}
