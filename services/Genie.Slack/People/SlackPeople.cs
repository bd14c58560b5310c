using System.Collections.Concurrent;
using Genie.Slack.Backends;
using Genie.Slack.WebApi;

namespace Genie.Slack.People;

/// <summary>
/// Slack user → Genie user: the e-mail on the Slack profile (users.info; Slack verifies it) names the
/// Genie user, and Web issues a token for them. Tokens are reused until a minute before they expire.
/// </summary>
public sealed class SlackPeople(SlackWebApi slack, GenieBackends backends, TimeProvider time, ILogger<SlackPeople> logger)
{
    private readonly ConcurrentDictionary<string, GenieUser> _known = new(StringComparer.Ordinal);

    /// <summary>Who this Slack user is in Genie; null when Slack shows no e-mail or no active Genie user has it.</summary>
    public async Task<SlackPerson> ResolveAsync(string slackUserId, CancellationToken ct)
    {
        if (_known.TryGetValue(slackUserId, out var cached) && cached.ExpiresAt > time.GetUtcNow().AddMinutes(1))
            return new SlackPerson(slackUserId, cached.Email, cached);
        var info = await slack.UsersInfoAsync(slackUserId, ct);
        var user = info["user"];
        var email = user?["profile"]?["email"]?.GetValue<string>();
        if (user?["deleted"]?.GetValue<bool>() == true || user?["is_bot"]?.GetValue<bool>() == true || string.IsNullOrWhiteSpace(email))
            return new SlackPerson(slackUserId, email, null);
        var genie = await backends.UserTokenAsync(email, ct);
        if (genie is null)
        {
            _known.TryRemove(slackUserId, out _);
            logger.LogInformation("Slack user {SlackUser} has no active Genie account", slackUserId);
            return new SlackPerson(slackUserId, email, null);
        }
        _known[slackUserId] = genie;
        return new SlackPerson(slackUserId, email, genie);
    }
}

/// <summary>A Slack user and, when they have one, their active Genie account.</summary>
public sealed record SlackPerson(string SlackUserId, string? Email, GenieUser? Genie)
{
    public string NoAccessText => Email is null
        ? "I can't see an e-mail address on your Slack profile, so I can't tell who you are in Genie. Ask your Genie admin for access."
        : $"You don't have an active Genie account for {Email} yet. Ask your Genie admin to invite that address in the Genie portal, then ask me again.";
}
