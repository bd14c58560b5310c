using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Genie.Agent.Prompting;

/// <summary>
/// Writes retrieved passages into a prompt as fenced, numbered data and reads them back.
/// A passage can never close its fence: any "&lt;source" / "&lt;/source" inside it is escaped, and
/// attributes are HTML-encoded. The system prompt tells the model the fence holds data, not instructions.
/// </summary>
public static partial class SourceFence
{
    public const string Open = "<sources>";
    public const string Close = "</sources>";

    public sealed record FencedSource(int Number, string Title, string Uri, string HeadingPath, string Text);

    public static void Write(StringBuilder prompt, IReadOnlyList<FencedSource> sources)
    {
        prompt.Append(Open).Append('\n');
        foreach (var source in sources)
        {
            prompt.Append("<source id=\"").Append(source.Number).Append("\" title=\"").Append(Attr(source.Title))
                .Append("\" uri=\"").Append(Attr(source.Uri)).Append("\" heading=\"").Append(Attr(source.HeadingPath))
                .Append("\">\n").Append(EscapeBody(source.Text.Trim())).Append("\n</source>\n");
        }
        prompt.Append(Close).Append('\n');
    }

    public static IReadOnlyList<FencedSource> Read(string prompt)
    {
        var sources = new List<FencedSource>();
        foreach (Match match in SourcePattern().Matches(prompt))
        {
            sources.Add(new FencedSource(
                int.Parse(match.Groups["id"].Value, System.Globalization.CultureInfo.InvariantCulture),
                WebUtility.HtmlDecode(match.Groups["title"].Value),
                WebUtility.HtmlDecode(match.Groups["uri"].Value),
                WebUtility.HtmlDecode(match.Groups["heading"].Value),
                UnescapeBody(match.Groups["body"].Value)));
        }
        return sources;
    }

    public static string EscapeBody(string text) => FenceTagPattern().Replace(text, m => "&lt;" + m.Value[1..]);

    private static string UnescapeBody(string text) => EscapedFenceTagPattern().Replace(text, m => "<" + m.Value[4..]);

    private static string Attr(string value) =>
        WebUtility.HtmlEncode(value.ReplaceLineEndings(" "));

    [GeneratedRegex(@"<source id=""(?<id>\d+)"" title=""(?<title>[^""]*)"" uri=""(?<uri>[^""]*)"" heading=""(?<heading>[^""]*)"">\n(?<body>.*?)\n</source>\n", RegexOptions.Singleline)]
    private static partial Regex SourcePattern();

    [GeneratedRegex(@"</?sources?\b", RegexOptions.IgnoreCase)]
    private static partial Regex FenceTagPattern();

    [GeneratedRegex(@"&lt;/?sources?\b", RegexOptions.IgnoreCase)]
    private static partial Regex EscapedFenceTagPattern();
}
