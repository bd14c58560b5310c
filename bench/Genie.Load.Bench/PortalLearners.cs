using System.Net;
using System.Text.RegularExpressions;
using Genie.Testing.Hosts;
using Genie.Web.Identity;
using Microsoft.AspNetCore.Identity;

namespace Genie.Load.Bench;

/// <summary>Portal learners signed in with their own cookie, as a browser holds one; created on first use.</summary>
public sealed partial class PortalLearners(WebTestHost portal) : IDisposable
{
    private const string Password = "a long bench password 42";
    private readonly List<HttpClient> _clients = [];
    private string? _passwordHash;

    public async Task<IReadOnlyList<HttpClient>> TakeAsync(int count)
    {
        _passwordHash ??= portal.Get<IPasswordHasher<PortalUser>>().HashPassword(new PortalUser(), Password);
        while (_clients.Count < count)
        {
            var email = $"learner-{_clients.Count}@bench.test";
            var id = await portal.CreateUserAsync("learner", email);
            await portal.Get<UserStore>().SetPasswordAsync(id, _passwordHash);
            var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = portal.HttpAddress };
            var signedIn = await PostFormAsync(client, "/Account/SignIn", "/Account/SignIn", [new("Email", email), new("Password", Password)]);
            if (signedIn.StatusCode != HttpStatusCode.Redirect)
                throw new InvalidOperationException($"Sign-in of {email} answered {(int)signedIn.StatusCode}.");
            _clients.Add(client);
        }
        return _clients.Take(count).ToList();
    }

    /// <summary>The chat's Ask post as the page's script sends it (anti-forgery token from the page, Accept: text/event-stream).</summary>
    public static async Task<HttpRequestMessage> AskAsync(HttpClient client, string question)
    {
        var token = await AntiforgeryTokenAsync(client, "/Chat?bot=onboarding");
        var request = new HttpRequestMessage(HttpMethod.Post, "/Chat?bot=onboarding&handler=Ask")
        {
            Content = new FormUrlEncodedContent([new("__RequestVerificationToken", token), new("message", question)]),
        };
        request.Headers.Accept.ParseAdd("text/event-stream");
        return request;
    }

    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string page, string path, List<KeyValuePair<string, string>> fields)
    {
        fields.Add(new("__RequestVerificationToken", await AntiforgeryTokenAsync(client, page)));
        return await client.PostAsync(path, new FormUrlEncodedContent(fields));
    }

    private static async Task<string> AntiforgeryTokenAsync(HttpClient client, string page)
    {
        var html = await client.GetStringAsync(page);
        return TokenPattern().Match(html) is { Success: true } m ? m.Groups[1].Value
            : throw new InvalidOperationException($"{page} has no anti-forgery token.");
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    public void Dispose()
    {
        foreach (var client in _clients) client.Dispose();
    }
}
