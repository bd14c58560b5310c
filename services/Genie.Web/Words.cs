namespace Genie.Web;

/// <summary>Counted nouns in plain English: "1 chunk", "2 chunks", "1 person", "3 people".</summary>
public static class Words
{
    public static string Count(long count, string one, string? many = null) =>
        $"{count:N0} {(count == 1 ? one : many ?? one + "s")}";
}
