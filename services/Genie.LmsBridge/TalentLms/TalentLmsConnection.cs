namespace Genie.LmsBridge.TalentLms;

/// <summary>Where a TalentLMS portal's API v1 lives and the key to call it with.</summary>
public sealed record TalentLmsConnection(Uri ApiBase, string ApiKey)
{
    /// <summary>
    /// Accepts what an admin types: "acme", "acme.talentlms.com", or a full URL. Plain http is only
    /// allowed for loopback hosts (local fakes): the API key travels in every request.
    /// </summary>
    public static TalentLmsConnection Create(string domain, string apiKey)
    {
        if (string.IsNullOrWhiteSpace(apiKey))
            throw new ArgumentException("the API key is empty", nameof(apiKey));
        return new TalentLmsConnection(ParseApiBase(domain), apiKey.Trim());
    }

    public static Uri ParseApiBase(string domain)
    {
        var text = (domain ?? "").Trim().TrimEnd('/');
        if (text.Length == 0)
            throw new ArgumentException("the domain is empty", nameof(domain));
        if (!text.Contains("://", StringComparison.Ordinal))
        {
            if (!text.Contains('.', StringComparison.Ordinal))
                text += ".talentlms.com";
            text = "https://" + text;
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
            throw new ArgumentException($"'{domain}' is not a TalentLMS domain or URL", nameof(domain));
        if (uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback))
            throw new ArgumentException("the domain must use https", nameof(domain));
        var path = uri.AbsolutePath.TrimEnd('/');
        if (!path.EndsWith("/api/v1", StringComparison.OrdinalIgnoreCase))
            path += "/api/v1";
        return new UriBuilder(uri.Scheme, uri.Host, uri.Port, path + "/").Uri;
    }
}
