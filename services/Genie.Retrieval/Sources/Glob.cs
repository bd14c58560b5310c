using System.Text;
using System.Text.RegularExpressions;

namespace Genie.Retrieval.Sources;

/// <summary>Path globs on '/'-separated relative paths: <c>**</c> any directories, <c>*</c> within a name, <c>?</c> one character.</summary>
public sealed class Glob
{
    private readonly Regex _regex;

    public Glob(string pattern)
    {
        Pattern = pattern.Replace('\\', '/').TrimStart('/');
        if (Pattern.StartsWith("./"))
            Pattern = Pattern[2..];
        // A pattern without a slash matches the name in any directory, as .gitignore does.
        var effective = Pattern.Contains('/') ? Pattern : "**/" + Pattern;
        var regex = new StringBuilder("^");
        for (var i = 0; i < effective.Length; i++)
        {
            var c = effective[i];
            if (c == '*' && i + 1 < effective.Length && effective[i + 1] == '*')
            {
                var slashFollows = i + 2 < effective.Length && effective[i + 2] == '/';
                regex.Append(slashFollows ? "(?:.*/)?" : ".*");
                i += slashFollows ? 2 : 1;
            }
            else if (c == '*')
                regex.Append("[^/]*");
            else if (c == '?')
                regex.Append("[^/]");
            else
                regex.Append(Regex.Escape(c.ToString()));
        }
        regex.Append('$');
        _regex = new Regex(regex.ToString(), RegexOptions.CultureInvariant | (OperatingSystem.IsWindows() ? RegexOptions.IgnoreCase : RegexOptions.None));
    }

    public string Pattern { get; }

    public bool IsMatch(string relativePath) => _regex.IsMatch(relativePath.Replace('\\', '/'));
}
