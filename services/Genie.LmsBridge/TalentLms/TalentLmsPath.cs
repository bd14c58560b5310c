namespace Genie.LmsBridge.TalentLms;

/// <summary>
/// API v1 passes GET arguments in the last path segment as comma-separated <c>key:value</c> pairs,
/// e.g. <c>getuserstatusincourse/course_id:4,user_id:7</c>. Values are percent-encoded but keep '@'
/// (as TalentLMS's own clients do for e-mail addresses).
/// </summary>
public static class TalentLmsPath
{
    public static string Build(string endpoint, params (string Key, string Value)[] arguments)
    {
        if (arguments.Length == 0)
            return endpoint;
        var pairs = arguments.Select(a => $"{a.Key}:{Encode(a.Value)}");
        return $"{endpoint}/{string.Join(',', pairs)}";
    }

    private static string Encode(string value) =>
        Uri.EscapeDataString(value).Replace("%40", "@", StringComparison.Ordinal);
}
