using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Genie.Reliability.Tests.Portal;

/// <summary>One person's browser on the portal: cookies, no automatic redirects, form bodies encoded by hand.</summary>
public sealed class PortalSession : IDisposable
{
    private readonly HttpClient _http;

    public PortalSession(Uri portal, string email, string password)
    {
        Email = email;
        Password = password;
        _http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = portal,
            Timeout = TimeSpan.FromMinutes(3),
        };
    }

    public string Email { get; }

    public string Password { get; }

    public Uri Portal => _http.BaseAddress!;

    public sealed record Page(HttpStatusCode Status, string? ContentType, string Body, Uri? Location)
    {
        public bool IsHtml => ContentType == "text/html";
    }

    public async Task<Page> GetAsync(string pathAndQuery) => await ReadAsync(await _http.GetAsync(pathAndQuery));

    /// <summary>Posts form fields whose values are already percent-encoded (so a test can send bytes that are no UTF-8).</summary>
    public async Task<Page> PostEncodedAsync(string action, IEnumerable<KeyValuePair<string, string>> encodedFields)
    {
        var body = string.Join("&", encodedFields.Select(f => $"{Uri.EscapeDataString(f.Key)}={f.Value}"));
        var content = new StringContent(body, Encoding.ASCII);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        return await ReadAsync(await _http.PostAsync(action, content));
    }

    public async Task<Page> PostMultipartAsync(string action, string? antiforgeryToken, string fileField, string fileName, byte[] bytes, string contentType = "application/octet-stream")
    {
        using var content = new MultipartFormDataContent();
        if (antiforgeryToken is not null)
            content.Add(new StringContent(antiforgeryToken), "__RequestVerificationToken");
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        // set by hand: ContentDispositionHeaderValue would quote or refuse the hostile names this is for
        file.Headers.TryAddWithoutValidation("Content-Disposition", $"form-data; name=\"{fileField}\"; filename=\"{fileName.Replace("\"", "%22")}\"");
        content.Add(file);
        return await ReadAsync(await _http.PostAsync(action, content));
    }

    public async Task SignInAsync()
    {
        var form = PortalCrawler.FormsOf("/Account/SignIn", (await GetAsync("/Account/SignIn")).Body).Single(f => f.Action.StartsWith("/Account/SignIn", StringComparison.Ordinal));
        var page = await PostEncodedAsync(form.Action, PortalForm.Encode(form.Defaults(("Email", Email), ("Password", Password))));
        if (page.Status != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"Sign-in of {Email} answered {(int)page.Status}");
    }

    /// <summary>Whether the cookie still signs this person in (a hostile form may have ended the session).</summary>
    public async Task<bool> IsSignedInAsync() =>
        (await GetAsync("/")).Location?.ToString().Contains("/Account/SignIn", StringComparison.Ordinal) != true;

    private static async Task<Page> ReadAsync(HttpResponseMessage response)
    {
        using (response)
            return new Page(response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync(), response.Headers.Location);
    }

    public void Dispose() => _http.Dispose();
}
