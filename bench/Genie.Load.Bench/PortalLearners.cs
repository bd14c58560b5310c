using System.Net;
using System.Text.RegularExpressions;
using Genie.Web.Bots;
using Genie.Web.Identity;
using Microsoft.AspNetCore.Identity;
using Npgsql;

namespace Genie.Load.Bench;

/// <summary>
/// Portal learners signed in with their own cookie, as a browser holds one; created on first use in the portal's
/// database (as an admin creating users and a password set on first sign-in would), so the portal may run anywhere.
/// </summary>
public sealed partial class PortalLearners : IDisposable
{
    private const string Password = "a long bench password 42";
    private readonly Uri _portal;
    private readonly string _database;
    private readonly string _passwordHash = new PasswordHasher<PortalUser>().HashPassword(new PortalUser(), Password);
    private readonly List<HttpClient> _clients = [];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<HttpClient, string> _chatPageTokens = new();

    private PortalLearners(Uri portal, string database) => (_portal, _database) = (portal, database);

    public Uri Address => _portal;

    /// <summary>The portal at <paramref name="portal"/> over <paramref name="database"/>, with the Onboarding Bot assigned to learners.</summary>
    public static async Task<PortalLearners> OpenAsync(Uri portal, string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await BotAssignments.AssignAsync(connection, null, Bot.OnboardingId, null, "learner", CancellationToken.None);
        return new PortalLearners(portal, database);
    }

    public async Task<IReadOnlyList<HttpClient>> TakeAsync(int count)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        var emails = Enumerable.Range(_clients.Count, Math.Max(0, count - _clients.Count)).Select(n => $"learner-{n}@bench.test").ToList();
        foreach (var email in emails)
        {
            if (!await UserStore.InsertAsync(connection, null, Guid.NewGuid(), email, email, "learner", _passwordHash, DateTime.UtcNow, CancellationToken.None))
                throw new InvalidOperationException($"{email} exists");
        }
        // Signing in is password hashing on the portal: a few at once keep both cores busy.
        using var gate = new SemaphoreSlim(4);
        var signedIn = await Task.WhenAll(emails.Select(async email =>
        {
            await gate.WaitAsync();
            try
            {
                return await SignInAsync(email);
            }
            finally
            {
                gate.Release();
            }
        }));
        _clients.AddRange(signedIn);
        return _clients.Take(count).ToList();
    }

    private async Task<HttpClient> SignInAsync(string email)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = _portal };
        var form = new FormUrlEncodedContent([
            new("Email", email), new("Password", Password), new("__RequestVerificationToken", await AntiforgeryTokenAsync(client, "/Account/SignIn"))]);
        using var signedIn = await client.PostAsync("/Account/SignIn", form);
        if (signedIn.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"Sign-in of {email} answered {(int)signedIn.StatusCode}.");
        return client;
    }

    /// <summary>
    /// The chat's Ask post as the page's script sends it (Accept: text/event-stream) with the anti-forgery token of the
    /// chat page, loaded once per learner as a browser keeps the page open while asking.
    /// </summary>
    public async Task<HttpRequestMessage> AskAsync(HttpClient client, string question)
    {
        var token = _chatPageTokens.TryGetValue(client, out var known) ? known
            : _chatPageTokens[client] = await AntiforgeryTokenAsync(client, "/Chat?bot=onboarding");
        var request = new HttpRequestMessage(HttpMethod.Post, "/Chat?bot=onboarding&handler=Ask")
        {
            Content = new FormUrlEncodedContent([new("__RequestVerificationToken", token), new("message", question)]),
        };
        request.Headers.Accept.ParseAdd("text/event-stream");
        return request;
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
