using System.Collections.Concurrent;
using System.Net;
using AngleSharp.Html.Parser;
using Genie.Reliability.Tests.Abuse;
using Genie.ServiceDefaults.Auth;
using Grpc.Core;
using Xunit.Abstractions;

namespace Genie.Reliability.Tests.Portal;

/// <summary>
/// Every POST form the portal shows an admin, an instructor or a learner (found by crawling, so a new form is covered
/// without a test change) gets markup, script URLs, template syntax, 1 MB, NUL, invalid UTF-8 and wrong types in each
/// field, and once no anti-forgery token: never a server error, hostile text shows as text on every page afterwards,
/// and every service stays up.
/// </summary>
[Collection(nameof(AbuseCollection))]
public sealed class PortalFormAbuseTests(ServicesUnderAttack services, ITestOutputHelper output)
{
    private static readonly HtmlParser Parser = new();

    [Fact]
    public async Task Every_form_field_refuses_or_stores_hostile_input_as_text_and_nothing_fails_on_the_server()
    {
        // something in every list first, so the pages show their per-record forms (a knowledge base, a chat, a token)
        await SeedAsync();
        var failures = new ConcurrentBag<string>();
        var total = 0;
        var forms = new HashSet<string>();
        foreach (var role in new[] { "anonymous", Roles.Learner, Roles.Instructor, Roles.Admin })
        {
            using var session = role switch
            {
                "anonymous" => new PortalSession(services.Web.HttpAddress, "nobody@genie.test", "wrong"),
                Roles.Admin => await PortalPeople.AdminAsync(services.Web),
                _ => await WithRecordsAsync(role),
            };
            var crawl = await PortalCrawler.CrawlAsync(session, start: role == "anonymous" ? "/Account/SignIn" : "/");
            var tried = 0;
            foreach (var form in crawl.Forms.Where(f => forms.Add(f.Key)))
                tried += await AttackAsync(session, form, failures);
            output.WriteLine($"{role}: {crawl.Pages.Count} pages, {crawl.Forms.Count} POST forms, {tried} hostile posts");
            output.WriteLine("  " + string.Join(" ", crawl.Pages.Keys));
            total += tried;
        }
        output.WriteLine($"{forms.Count} distinct forms, {total} hostile posts in all");
        Assert.True(forms.Count >= 22, $"the crawl found only {forms.Count} forms:\n{string.Join("\n", forms.Order())}");
        foreach (var known in new[] { "/Me/Tokens?handler=Create", "/Preferences", "/Dashboard/Users/Manage/Create", "/Admin/Lms", "?handler=Upload", "?handler=AddMcp" })
            Assert.Contains(forms, f => f.Contains(known, StringComparison.Ordinal));
        Assert.True(failures.IsEmpty, string.Join("\n", failures.Order().Take(60)));

        using (var admin = await PortalPeople.AdminAsync(services.Web))
            await AssignEveryBotAsync(admin); // a hostile post to the bots form may have unassigned them
        await AssertEveryPageRendersTextAsync();
        foreach (var target in services.ByService.Values)
            Assert.Equal(StatusCode.OK, await services.HealthAsync(target));
    }

    /// <summary>Posts each hostile value into each field (the others as a browser would send them), then no token.</summary>
    private async Task<int> AttackAsync(PortalSession session, PortalForm form, ConcurrentBag<string> failures)
    {
        if (form.Token is null)
        {
            failures.Add($"{form}: a POST form without an anti-forgery token");
            return 0;
        }
        var cases = new List<(string Name, IEnumerable<KeyValuePair<string, string>> Body)>();
        if (!form.Multipart)
            foreach (var field in form.Fields.Where(f => f.Kind != "file"))
                foreach (var (name, encoded) in Hostile(field))
                    cases.Add(($"{field.Name} {name}", PortalForm.Encode(form.Defaults()).Select(p => p.Key == field.Name ? new(p.Key, encoded) : p).Append(Missing(form, field, encoded))));
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (c, _) =>
        {
            PortalSession.Page page;
            try
            {
                page = await session.PostEncodedAsync(form.Action, c.Body.Where(p => p.Key != "").ToList());
            }
            catch (HttpRequestException e)
            {
                failures.Add($"{form} {c.Name}: no readable answer ({e.Message})");
                return;
            }
            if ((int)page.Status >= 500 || page.Body.Contains("   at ", StringComparison.Ordinal) || page.Body.Contains("Exception", StringComparison.Ordinal))
                failures.Add($"{form} {c.Name}: {(int)page.Status} {Excerpt(page.Body)}");
        });

        var noToken = await session.PostEncodedAsync(form.Action, PortalForm.Encode(form.Defaults()).Where(p => p.Key != PortalForm.TokenField).ToList());
        if (noToken.Status != HttpStatusCode.BadRequest)
            failures.Add($"{form} without anti-forgery token: {(int)noToken.Status}, expected 400");
        if (session.Email != "nobody@genie.test" && !await session.IsSignedInAsync())
        {
            output.WriteLine($"{session.Email} was signed out by {form}; signing in again");
            await session.SignInAsync();
        }
        return cases.Count + 1;
    }

    /// <summary>A field absent from the defaults (an unchecked checkbox, a file) is added with the hostile value.</summary>
    private static KeyValuePair<string, string> Missing(PortalForm form, FormField field, string encoded) =>
        field.Values.Count == 0 ? new(field.Name, encoded) : new("", "");

    /// <summary>Hostile values for one field, percent-encoded (invalid UTF-8 cannot be a .NET string).</summary>
    private static IEnumerable<(string Name, string Encoded)> Hostile(FormField field)
    {
        static string E(string raw) => Uri.EscapeDataString(raw);
        yield return ("<script>", E("<script>alert(1)</script>"));
        yield return ("attribute break-out", E("\"><img src=x onerror=alert(1)>"));
        yield return ("javascript: URL", E("javascript:alert(1)"));
        yield return ("template syntax", E("{{7*7}}${7*7}@(7*7)"));
        yield return ("1 MB", new string('a', 1 << 20));
        yield return ("NUL", E("a\0b"));
        yield return ("control and bidi characters", E("\u0001\u202E\uFFFE\u001B[31m"));
        yield return ("invalid UTF-8", "%C3%28%FF%FE");
        switch (field.Kind)
        {
            case "number" or "range":
                yield return ("text in a number field", "ten");
                yield return ("huge number", "99999999999999999999999");
                yield return ("negative number", "-1");
                break;
            case "email":
                yield return ("not an e-mail", E("not-an-email"));
                break;
            case "checkbox" or "radio" or "select":
                yield return ("a value not offered", E("not-an-option"));
                break;
            case "hidden":
                yield return ("an id that does not exist", Guid.NewGuid().ToString());
                break;
        }
    }

    /// <summary>Every page, opened by fresh people of each role, has no script but our files and no event-handler attribute.</summary>
    private async Task AssertEveryPageRendersTextAsync()
    {
        var failures = new List<string>();
        var pages = 0;
        foreach (var role in new[] { Roles.Learner, Roles.Instructor, Roles.Admin })
        {
            using var session = role == Roles.Admin ? await PortalPeople.AdminAsync(services.Web) : await WithRecordsAsync(role);
            var crawl = await PortalCrawler.CrawlAsync(session, perShape: 3);
            foreach (var (url, page) in crawl.Pages)
            {
                if ((int)page.Status >= 500)
                    failures.Add($"{role} GET {url}: {(int)page.Status}");
                if (!page.IsHtml)
                    continue;
                pages++;
                failures.AddRange(Unsafe(page.Body).Select(problem => $"{role} {url}: {problem}"));
            }
        }
        output.WriteLine($"{pages} pages checked for markup afterwards");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Distinct().Take(40)));
    }

    /// <summary>What in the page would run script: inline scripts, event-handler attributes, javascript: URLs.</summary>
    public static IEnumerable<string> Unsafe(string html)
    {
        var document = Parser.ParseDocument(html);
        foreach (var script in document.QuerySelectorAll("script"))
            if (script.GetAttribute("src") is not { } src || !src.StartsWith("/js/", StringComparison.Ordinal))
                yield return $"inline or foreign script: {Excerpt(script.OuterHtml)}";
        foreach (var element in document.All)
            foreach (var attribute in element.Attributes)
            {
                if (attribute.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase))
                    yield return $"event handler attribute: {Excerpt(element.OuterHtml)}";
                if (attribute.Name is "href" or "src" or "action" or "formaction" && attribute.Value.Trim().StartsWith("javascript:", StringComparison.OrdinalIgnoreCase))
                    yield return $"javascript: URL: {Excerpt(element.OuterHtml)}";
            }
    }

    private static string Excerpt(string text) => text.Length <= 300 ? text : text[..300] + "…";

    /// <summary>A new person with an access token and a conversation, so the pages show the forms for them.</summary>
    private async Task<PortalSession> WithRecordsAsync(string role)
    {
        var (id, session) = await PortalPeople.NewAsync(services.Web, role);
        await services.Web.CreateAccessTokenAsync(id);
        await Genie.Testing.Hosts.ChatResult.AskAsync(services.Agent.Client, services.Agent.As(id.ToString(), role), "Where do badge holders park?", bot: "onboarding");
        return session;
    }

    internal static async Task AssignEveryBotAsync(PortalSession admin)
    {
        var form = PortalCrawler.FormsOf("/Dashboard/Bots", (await admin.GetAsync("/Dashboard/Bots")).Body).Single(f => f.Action.Contains("handler=Roles", StringComparison.Ordinal));
        var every = form.Fields.Single(f => f.Name == "RoleBots").Options.Select(o => new KeyValuePair<string, string>("RoleBots", o));
        var saved = await admin.PostEncodedAsync(form.Action, PortalForm.Encode(form.Defaults().Where(p => p.Key != "RoleBots").Concat(every)));
        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
    }

    private async Task SeedAsync()
    {
        using var admin = await PortalPeople.AdminAsync(services.Web);
        await AssignEveryBotAsync(admin);
        var kb = await services.Retrieval.CreateKbAsync("Abuse handbook", new Genie.Contracts.Retrieval.V1.Grants { Roles = { Roles.Learner, Roles.Instructor } });
        var source = await services.Retrieval.AddUploadSourceAsync(kb);
        await services.Retrieval.UploadAsync(source, "parking.md", "# Parking\n\nBadge holders park on level two.");
        await Genie.Testing.Hosts.ChatResult.AskAsync(services.Agent.Client, services.Agent.As("forms-seed"), "Where do badge holders park?");
    }
}
