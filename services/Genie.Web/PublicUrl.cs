namespace Genie.Web;

/// <summary>
/// The portal's external base URL (<c>Genie:Web:PublicUrl</c>, e.g. <c>https://genie.example.com/mentor</c>):
/// links sent by e-mail start with it, and a path in it is the portal's path base, so a reverse proxy may
/// forward <c>/mentor/…</c> unchanged. Without it, links use the request's own address.
/// </summary>
public static class PublicUrl
{
    public const string Key = "Genie:Web:PublicUrl";

    public static string For(HttpRequest request, IConfiguration configuration) =>
        configuration[Key] is { Length: > 0 } configured
            ? configured.TrimEnd('/')
            : $"{request.Scheme}://{request.Host}{request.PathBase}";

    /// <summary>The path of the public URL ("/mentor"), or empty when it has none or none is set.</summary>
    public static PathString PathBase(IConfiguration configuration)
    {
        if (configuration[Key] is not { Length: > 0 } configured)
            return PathString.Empty;
        if (!Uri.TryCreate(configured, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            throw new InvalidOperationException($"{Key} must be an absolute http(s) URL, such as https://genie.example.com; it is \"{configured}\".");
        var path = url.AbsolutePath.TrimEnd('/');
        return path.Length == 0 ? PathString.Empty : new PathString(path);
    }
}
