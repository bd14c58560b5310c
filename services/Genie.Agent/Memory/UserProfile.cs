using Genie.Contracts.Agent.V1;

namespace Genie.Agent.Memory;

/// <summary>What the bots know about a user: explicit preferences and facts learned from messages.</summary>
public sealed record UserProfile(UserPreferences Preferences, IReadOnlyList<FactEntry> Facts)
{
    public static readonly UserProfile Empty = new(UserPreferences.None, []);

    /// <summary>This profile with what the current message just taught applied (it is stored with the turn).</summary>
    public UserProfile With(ExtractedMemory memory) => memory.IsEmpty
        ? this
        : new UserProfile(
            new UserPreferences(
                memory.Length ?? Preferences.Length,
                memory.Tone ?? Preferences.Tone,
                memory.Language ?? Preferences.Language,
                memory.RoleTeam ?? Preferences.RoleTeam,
                memory.Level ?? Preferences.Level),
            Facts.Concat(memory.Facts).DistinctBy(f => f.Text.ToLowerInvariant()).ToList());
}

public sealed record UserPreferences(AnswerLength Length, string? Tone, string? Language, string? RoleTeam, string? Level)
{
    public static readonly UserPreferences None = new(AnswerLength.Unspecified, null, null, null, null);

    public AnswerLength EffectiveLength => Length == AnswerLength.Unspecified ? AnswerLength.Medium : Length;
}

/// <param name="Kind">"team", "role", "knows", "new_to".</param>
/// <param name="Text">A phrase about the user in the third person, e.g. "works on payments".</param>
public sealed record FactEntry(string Kind, string Text);
