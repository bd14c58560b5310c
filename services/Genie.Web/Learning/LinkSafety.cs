namespace Genie.Web.Learning;

/// <summary>Links that come from other systems are rendered only when they are plain http(s).</summary>
public static class LinkSafety
{
    public static string? WebLink(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) ? uri.ToString() : null;
}
