using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace Genie.Reliability.Tests.Portal;

/// <summary>A field of a form as a browser would submit it: its kind (input type, select, textarea) and its values.</summary>
public sealed record FormField(string Name, string Kind, IReadOnlyList<string> Values, IReadOnlyList<string> Options);

/// <summary>
/// A POST form of a page, one per submit button with its own formaction: where it posts, its fields with what a browser
/// would send untouched, and the anti-forgery token it carries.
/// </summary>
public sealed record PortalForm(string Page, string Action, bool Multipart, IReadOnlyList<FormField> Fields, string? Token)
{
    public const string TokenField = "__RequestVerificationToken";

    /// <summary>The action with ids replaced, so the same form on two records counts once.</summary>
    public string Key => PortalCrawler.Normalize(Action) + " " + string.Join(",", Fields.Select(f => f.Name));

    /// <summary>What a browser would send (with the token), with some fields replaced by raw (unencoded) values.</summary>
    public List<KeyValuePair<string, string>> Defaults(params (string Name, string Value)[] replaced)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var field in Fields)
        {
            var replacement = replaced.FirstOrDefault(r => r.Name == field.Name);
            if (replacement.Name is not null)
                pairs.Add(new(field.Name, replacement.Value));
            else
                pairs.AddRange(field.Values.Select(v => new KeyValuePair<string, string>(field.Name, v)));
        }
        if (Token is not null)
            pairs.Add(new(TokenField, Token));
        return pairs;
    }

    public static IEnumerable<KeyValuePair<string, string>> Encode(IEnumerable<KeyValuePair<string, string>> raw) =>
        raw.Select(p => new KeyValuePair<string, string>(p.Key, Uri.EscapeDataString(p.Value)));

    public override string ToString() => $"{Page} → {Action}";
}

/// <summary>
/// Walks the portal as one signed-in person: every page reachable by links from the home page (never sign-out), and
/// every POST form on them. A page or form added later is found without a test change.
/// </summary>
public static partial class PortalCrawler
{
    private static readonly HtmlParser Parser = new();

    public sealed record Crawl(IReadOnlyDictionary<string, PortalSession.Page> Pages, IReadOnlyList<PortalForm> Forms);

    /// <param name="perShape">How many URLs of one shape (same path and query names, ids aside) to open.</param>
    public static async Task<Crawl> CrawlAsync(PortalSession session, int perShape = 1, int maxPages = 400, string start = "/")
    {
        var pages = new Dictionary<string, PortalSession.Page>();
        var shapes = new Dictionary<string, int>();
        var forms = new Dictionary<string, PortalForm>();
        var queue = new Queue<string>([start]);
        var seen = new HashSet<string> { start };
        while (queue.Count > 0 && pages.Count < maxPages)
        {
            var url = queue.Dequeue();
            var shape = Normalize(url);
            if (shapes.GetValueOrDefault(shape) >= perShape)
                continue;
            shapes[shape] = shapes.GetValueOrDefault(shape) + 1;
            var page = await session.GetAsync(url);
            pages[url] = page;
            if (!page.IsHtml)
                continue;
            var document = Parser.ParseDocument(page.Body);
            foreach (var link in document.QuerySelectorAll("a[href]").Select(a => Local(url, a.GetAttribute("href")!)).OfType<string>())
                if (!IsSignOut(link) && seen.Add(link))
                    queue.Enqueue(link);
            foreach (var form in FormsOf(url, document))
                forms.TryAdd(form.Key, form);
        }
        return new Crawl(pages, [.. forms.Values.OrderBy(f => f.Action, StringComparer.Ordinal)]);
    }

    public static List<PortalForm> FormsOf(string pageUrl, string html) => FormsOf(pageUrl, Parser.ParseDocument(html));

    private static List<PortalForm> FormsOf(string pageUrl, IDocument document)
    {
        var found = new List<PortalForm>();
        foreach (var form in document.QuerySelectorAll("form").OfType<IHtmlFormElement>())
        {
            if (!string.Equals(form.GetAttribute("method"), "post", StringComparison.OrdinalIgnoreCase))
                continue;
            var action = Local(pageUrl, form.GetAttribute("action") ?? pageUrl) ?? pageUrl;
            var multipart = string.Equals(form.GetAttribute("enctype"), "multipart/form-data", StringComparison.OrdinalIgnoreCase);
            var token = form.QuerySelector($"input[name={PortalForm.TokenField}]")?.GetAttribute("value");
            var fields = Fields(form);
            var buttons = form.QuerySelectorAll("button, input[type=submit]")
                .Where(b => (b.GetAttribute("type") ?? "submit").Equals("submit", StringComparison.OrdinalIgnoreCase))
                .ToList();
            var variants = buttons.Select(b => (Action: b.GetAttribute("formaction") is { } a ? Local(pageUrl, a) ?? action : action, Button: b)).ToList();
            if (variants.Count == 0)
                variants.Add((action, null!));
            foreach (var (variantAction, button) in variants.DistinctBy(v => v.Action + "|" + v.Button?.GetAttribute("name")))
            {
                if (IsSignOut(variantAction))
                    continue;
                var withButton = button?.GetAttribute("name") is { Length: > 0 } name
                    ? [.. fields, new FormField(name, "button", [button.GetAttribute("value") ?? ""], [])]
                    : fields;
                found.Add(new PortalForm(pageUrl, variantAction, multipart, withButton, token));
            }
        }
        return found;
    }

    private static List<FormField> Fields(IHtmlFormElement form)
    {
        var fields = new List<FormField>();
        foreach (var group in form.QuerySelectorAll("input[name], select[name], textarea[name]")
                     .Where(e => e.GetAttribute("name") != PortalForm.TokenField && !e.HasAttribute("disabled"))
                     .GroupBy(e => e.GetAttribute("name")!))
        {
            var first = group.First();
            var kind = first.LocalName == "input" ? (first.GetAttribute("type") ?? "text").ToLowerInvariant() : first.LocalName;
            if (kind is "submit" or "button" or "image" or "reset")
                continue;
            List<string> values;
            var options = new List<string>();
            switch (kind)
            {
                case "checkbox" or "radio":
                    options = group.Select(e => e.GetAttribute("value") ?? "on").ToList();
                    values = group.Where(e => e.HasAttribute("checked")).Select(e => e.GetAttribute("value") ?? "on").ToList();
                    break;
                case "select":
                    var choices = first.QuerySelectorAll("option").ToList();
                    options = choices.Select(o => o.GetAttribute("value") ?? o.TextContent).ToList();
                    var selected = choices.Where(o => o.HasAttribute("selected")).ToList();
                    values = (selected.Count > 0 ? selected : choices.Take(1)).Select(o => o.GetAttribute("value") ?? o.TextContent).ToList();
                    break;
                case "textarea":
                    values = [first.TextContent];
                    break;
                case "file":
                    values = [];
                    break;
                default:
                    values = [first.GetAttribute("value") ?? ""];
                    break;
            }
            fields.Add(new FormField(group.Key, kind, values, options));
        }
        return fields;
    }

    /// <summary>The path and query of a link on the portal, or null for another site, a fragment or a script URL.</summary>
    private static string? Local(string pageUrl, string href)
    {
        if (href.StartsWith('#') || href.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) || href.StartsWith("javascript:", StringComparison.OrdinalIgnoreCase))
            return null;
        var base_ = new Uri(new Uri("http://portal"), pageUrl);
        if (!Uri.TryCreate(base_, href, out var target) || target.Host != "portal")
            return null;
        return target.PathAndQuery;
    }

    private static bool IsSignOut(string url) => url.Contains("SignOut", StringComparison.OrdinalIgnoreCase);

    /// <summary>Path and query names with ids (GUIDs, numbers) and query values replaced by placeholders.</summary>
    public static string Normalize(string url)
    {
        var parts = url.Split('?', 2);
        var path = Id().Replace(parts[0], "{id}");
        if (parts.Length == 1)
            return path;
        var names = parts[1].Split('&').Select(p => p.Split('=')[0]).Where(n => n != "handler").Order();
        var handler = parts[1].Split('&').FirstOrDefault(p => p.StartsWith("handler=", StringComparison.Ordinal)) ?? "";
        return $"{path}?{handler}&{string.Join("&", names)}";
    }

    [GeneratedRegex(@"(?<=/)([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|\d+)(?=/|$)")]
    private static partial Regex Id();
}
