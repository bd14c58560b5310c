using System.Globalization;
using System.Text.RegularExpressions;
using Genie.Contracts.Agent.V1;

namespace Genie.Agent.Memory;

/// <summary>What one message taught about its author. Null preference fields mean "not mentioned".</summary>
public sealed record ExtractedMemory(
    AnswerLength? Length,
    string? Tone,
    string? Language,
    string? RoleTeam,
    string? Level,
    IReadOnlyList<FactEntry> Facts,
    bool IsOnlyAboutTheUser)
{
    public bool IsEmpty => Length is null && Tone is null && Language is null && RoleTeam is null && Level is null && Facts.Count == 0;

    /// <summary>A short confirmation for a message that only told the bot something about the user.</summary>
    public string Acknowledgement()
    {
        var parts = new List<string>();
        if (Length is { } length)
        {
            parts.Add(length switch
            {
                AnswerLength.Short => "I'll keep my answers short",
                AnswerLength.Long => "I'll give detailed answers",
                _ => "I'll keep answers at a normal length",
            });
        }
        if (Tone is not null) parts.Add($"I'll keep a {Tone} tone");
        if (Language is not null) parts.Add($"I'll answer in {Language}");
        parts.AddRange(Facts.Select(f => "you " + ToSecondPerson(f.Text)));
        if (Level is not null && Facts.All(f => f.Kind != "role")) parts.Add($"your level is {Level}");
        return parts.Count == 0 ? "Noted." : $"Noted: {string.Join("; ", parts)}. I'll remember this in our next conversations too.";
    }

    private static string ToSecondPerson(string fact) =>
        fact.StartsWith("works ", StringComparison.Ordinal) ? "work " + fact[6..] :
        fact.StartsWith("already knows ", StringComparison.Ordinal) ? "already know " + fact[14..] :
        fact.StartsWith("is new to ", StringComparison.Ordinal) ? "are new to " + fact[10..] :
        fact.StartsWith("is ", StringComparison.Ordinal) ? "are " + fact[3..] : fact;
}

/// <summary>
/// Finds preferences ("keep answers short", "answer in Spanish") and facts ("I work on payments",
/// "I already know Kotlin", "I'm new to Go") in a user's message. Rules, not a model: cheap, predictable,
/// and the user can list and delete whatever was learned.
/// </summary>
public static partial class MemoryExtractor
{
    private const string Thing = @"(?<x>[\p{L}\p{N}#+./&' -]{1,40}?)";
    private const string End = @"(?=\s*(?:[.,!?;:)]|$|\s(?:and|but|so|because|which|where|now|too|here|there|well|already|pretty|very|yet)\b))";

    public static ExtractedMemory Extract(string message)
    {
        var text = message.Trim();
        var facts = new List<FactEntry>();
        string? roleTeam = null;
        string? level = null;

        foreach (var m in TeamPattern().Matches(text).Concat(TeamMembershipPattern().Matches(text)))
        {
            var team = Clean(m.Groups["x"].Value);
            if (team is null) continue;
            facts.Add(new FactEntry("team", $"works on {team}"));
            roleTeam ??= team;
        }
        foreach (Match m in RolePattern().Matches(text))
        {
            var role = Clean(m.Groups["x"].Value);
            if (role is null) continue;
            facts.Add(new FactEntry("role", $"is {Article(role)} {role}"));
            if (m.Groups["x"].Value.Contains("junior", StringComparison.OrdinalIgnoreCase) || role.Contains("intern", StringComparison.OrdinalIgnoreCase)) level ??= "junior";
            else if (SeniorWords().IsMatch(role)) level ??= "experienced";
        }
        foreach (Match m in KnowsPattern().Matches(text))
        {
            var skill = Clean(m.Groups["x"].Value);
            if (skill is not null) facts.Add(new FactEntry("knows", $"already knows {skill}"));
        }
        foreach (Match m in NewToPattern().Matches(text))
        {
            var skill = Clean(m.Groups["x"].Value);
            if (skill is not null) facts.Add(new FactEntry("new_to", $"is new to {skill}"));
        }
        if (BeginnerPattern().IsMatch(text)) level = "beginner";
        else if (ExperiencedPattern().IsMatch(text)) level = "experienced";

        AnswerLength? length = ShortPattern().IsMatch(text) ? AnswerLength.Short
            : LongPattern().IsMatch(text) ? AnswerLength.Long
            : MediumPattern().IsMatch(text) ? AnswerLength.Medium
            : null;
        var tone = TonePattern().Match(text) is { Success: true } t ? t.Groups["x"].Value.ToLowerInvariant() : null;
        var language = LanguagePattern().Match(text) is { Success: true } l
            ? CultureInfo.InvariantCulture.TextInfo.ToTitleCase(l.Groups["x"].Value.ToLowerInvariant())
            : null;

        var distinctFacts = facts.DistinctBy(f => f.Text.ToLowerInvariant()).ToList();
        var found = length is not null || tone is not null || language is not null || roleTeam is not null || level is not null || distinctFacts.Count > 0;
        return new ExtractedMemory(length, tone, language, roleTeam, level, distinctFacts, found && !LooksLikeAQuestion(text));
    }

    private static bool LooksLikeAQuestion(string text) => text.Contains('?') || QuestionStart().IsMatch(text);

    private static string? Clean(string value)
    {
        var cleaned = value.Trim().TrimEnd('.', '\'', '-').Trim();
        if (cleaned.StartsWith("the ", StringComparison.OrdinalIgnoreCase)) cleaned = cleaned[4..];
        if (cleaned.EndsWith(" team", StringComparison.OrdinalIgnoreCase)) cleaned = cleaned[..^5];
        return cleaned.Length < 2 || NotAThing().IsMatch(cleaned) ? null : cleaned;
    }

    private static string Article(string word) => "aeiou".Contains(char.ToLowerInvariant(word[0])) ? "an" : "a";

    [GeneratedRegex(@"\bI\s*(?:'m|’m|\s+am)?\s+(?:work(?:ing)?|am working)\s+(?:on|in|for|with)\s+(?:the\s+)?" + Thing + End, RegexOptions.IgnoreCase)]
    private static partial Regex TeamPattern();

    [GeneratedRegex(@"\bI(?:'m|’m|\s+am)\s+(?:on|in|part of|a member of)\s+the\s+" + Thing + @"\s+team\b", RegexOptions.IgnoreCase)]
    private static partial Regex TeamMembershipPattern();

    [GeneratedRegex(@"\bI(?:'m|’m|\s+am)\s+an?\s+(?<x>(?:(?:junior|senior|staff|lead|principal|new)\s+)?(?:(?:backend|back-end|frontend|front-end|full[- ]?stack|mobile|ios|android|data|ml|machine learning|devops|qa|test|security|platform|cloud|infrastructure|software|web|product)\s+)?(?:engineer|developer|designer|analyst|scientist|manager|intern|sre|architect|tester))\b", RegexOptions.IgnoreCase)]
    private static partial Regex RolePattern();

    [GeneratedRegex(@"\bI(?:'m|’m|\s+am|'ve|’ve|\s+have)?\s+(?:already\s+)?(?:know|familiar with|experience (?:with|in)|experienced (?:with|in)|used|use|fluent in)\s+" + Thing + End, RegexOptions.IgnoreCase)]
    private static partial Regex KnowsPattern();

    [GeneratedRegex(@"\bI(?:'m|’m|\s+am)\s+(?:new to|not familiar with|unfamiliar with|learning)\s+" + Thing + End + @"|\bI\s+(?:don't|don’t|do not)\s+know\s+" + Thing + End + @"|\bI(?:'ve|’ve|\s+have)\s+never\s+used\s+" + Thing + End, RegexOptions.IgnoreCase)]
    private static partial Regex NewToPattern();

    [GeneratedRegex(@"\bI(?:'m|’m|\s+am)\s+(?:a\s+)?(?:beginner|new here|just starting|a new hire|new to programming)\b", RegexOptions.IgnoreCase)]
    private static partial Regex BeginnerPattern();

    [GeneratedRegex(@"\bI(?:'m|’m|\s+am)\s+(?:an?\s+)?(?:experienced|expert|veteran)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ExperiencedPattern();

    [GeneratedRegex(@"\b(?:senior|staff|lead|principal|architect)\b", RegexOptions.IgnoreCase)]
    private static partial Regex SeniorWords();

    [GeneratedRegex(@"\b(?:keep|make)\s+(?:your\s+|the\s+|my\s+)?(?:answers?|replies|responses|it|them)\s+(?:short|brief|concise|shorter)\b|\b(?:short|shorter|brief|briefer|concise)\s+(?:answers?|replies|responses)\b|\bbe\s+(?:brief|concise)\b|\btl;?dr\b", RegexOptions.IgnoreCase)]
    private static partial Regex ShortPattern();

    [GeneratedRegex(@"\b(?:more\s+detail(?:ed)?|in\s+(?:more\s+)?detail|detailed|longer|thorough)\s+(?:answers?|replies|responses|explanations?)\b|\b(?:give|want)\s+(?:me\s+)?(?:more\s+)?details\b|\bexplain\s+(?:things\s+)?in\s+(?:more\s+)?detail\b", RegexOptions.IgnoreCase)]
    private static partial Regex LongPattern();

    [GeneratedRegex(@"\b(?:normal|medium|regular)[- ]length\s+(?:answers?|replies|responses)\b", RegexOptions.IgnoreCase)]
    private static partial Regex MediumPattern();

    [GeneratedRegex(@"\b(?:be|sound|keep\s+it|stay|answer)\s+(?:more\s+)?(?<x>formal|casual|friendly|professional|direct|informal|playful)\b", RegexOptions.IgnoreCase)]
    private static partial Regex TonePattern();

    [GeneratedRegex(@"\b(?:answer|reply|respond|talk|write|speak)(?:\s+to\s+me)?\s+in\s+(?<x>English|Spanish|French|German|Portuguese|Italian|Dutch|Greek|Polish|Japanese|Chinese|Korean|Hindi|Arabic|Russian|Ukrainian|Turkish|Swedish|Danish|Norwegian|Finnish|Czech|Romanian|Hungarian)\b", RegexOptions.IgnoreCase)]
    private static partial Regex LanguagePattern();

    [GeneratedRegex(@"^(?:how|what|where|when|why|who|which|can|could|do|does|did|is|are|should|would|will|may|tell me|explain|show me)\b", RegexOptions.IgnoreCase)]
    private static partial Regex QuestionStart();

    [GeneratedRegex(@"^(?:it|that|this|them|how|what|why|where|when|a|an|to|so|about|if|you|me|my|much|more|nothing|anything|something|everything|here|there)$", RegexOptions.IgnoreCase)]
    private static partial Regex NotAThing();
}
