using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace Genie.Testing.Hosts;

/// <summary>A browser-like HTTP client for the portal: cookies, no automatic redirects, form posts with the anti-forgery token.</summary>
public sealed class PortalBrowser : IDisposable
{
    private static readonly HtmlParser Parser = new();
    private readonly HttpClient _http;

    public PortalBrowser(Uri baseAddress)
    {
        Cookies = new CookieContainer();
        _http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false })
        {
            BaseAddress = baseAddress,
        };
    }

    public CookieContainer Cookies { get; }

    public Task<HttpResponseMessage> GetAsync(string path) => _http.GetAsync(path);

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request) => _http.SendAsync(request);

    public async Task<(HttpResponseMessage Response, IHtmlDocument Document)> GetPageAsync(string path)
    {
        var response = await _http.GetAsync(path);
        return (response, Parser.ParseDocument(await response.Content.ReadAsStringAsync()));
    }

    public static IHtmlDocument Parse(string html) => Parser.ParseDocument(html);

    /// <summary>Loads <paramref name="pagePath"/>, takes the anti-forgery token from its first form, then posts the fields.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string pagePath, IEnumerable<KeyValuePair<string, string>> fields, string? postPath = null)
    {
        var (page, document) = await GetPageAsync(pagePath);
        if (page.StatusCode != HttpStatusCode.OK && page.StatusCode != HttpStatusCode.Gone)
            throw new InvalidOperationException($"GET {pagePath} answered {(int)page.StatusCode}; cannot take its anti-forgery token.");
        var token = document.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value")
            ?? throw new InvalidOperationException($"{pagePath} has no anti-forgery token.");
        return await PostRawAsync(postPath ?? pagePath, fields.Append(new("__RequestVerificationToken", token)));
    }

    public Task<HttpResponseMessage> PostFormAsync(string pagePath, object fields, string? postPath = null) =>
        PostFormAsync(pagePath, ToPairs(fields), postPath);

    /// <summary>A multipart post (file uploads) with the anti-forgery token taken from <paramref name="pagePath"/>.</summary>
    public async Task<HttpResponseMessage> PostMultipartAsync(string pagePath, string postPath, string field, IEnumerable<(string FileName, byte[] Content)> files)
    {
        var (_, document) = await GetPageAsync(pagePath);
        var token = document.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value")
            ?? throw new InvalidOperationException($"{pagePath} has no anti-forgery token.");
        var content = new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" } };
        foreach (var (fileName, bytes) in files)
        {
            var part = new ByteArrayContent(bytes);
            part.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
            content.Add(part, field, fileName);
        }
        return await _http.PostAsync(postPath, content);
    }

    /// <summary>Posts exactly these fields (no anti-forgery token unless given).</summary>
    public Task<HttpResponseMessage> PostRawAsync(string path, IEnumerable<KeyValuePair<string, string>> fields) =>
        _http.PostAsync(path, new FormUrlEncodedContent(fields));

    public async Task<HttpResponseMessage> SignInAsync(string email, string password) =>
        await PostFormAsync("/Account/SignIn", new { Email = email, Password = password });

    /// <summary>A question as the chat page's script asks it: the chat form's anti-forgery token, answered as an event stream.</summary>
    public async Task<HttpRequestMessage> ChatRequestAsync(string bot, string question)
    {
        var (_, page) = await GetPageAsync($"/Chat?bot={bot}");
        var token = page.QuerySelector("form[data-chat] input[name=__RequestVerificationToken]")?.GetAttribute("value")
            ?? throw new InvalidOperationException($"the {bot} chat page has no chat form");
        var request = new HttpRequestMessage(HttpMethod.Post, $"/Chat?bot={bot}&handler=Ask")
        {
            Content = new FormUrlEncodedContent([new("__RequestVerificationToken", token), new("message", question)]),
        };
        request.Headers.Accept.ParseAdd("text/event-stream");
        return request;
    }

    public static IEnumerable<KeyValuePair<string, string>> ToPairs(object fields) =>
        fields.GetType().GetProperties().SelectMany(p => p.GetValue(fields) switch
        {
            IEnumerable<string> many when p.GetValue(fields) is not string => many.Select(v => new KeyValuePair<string, string>(p.Name, v)),
            var v => [new KeyValuePair<string, string>(p.Name, Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) ?? "")],
        }).ToList();

    public void Dispose() => _http.Dispose();
}
