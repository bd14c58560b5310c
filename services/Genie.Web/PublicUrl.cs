namespace Genie.Web;

/// <summary>The portal's external base URL, for links sent by email: <c>Genie:Web:PublicUrl</c>, else the request's own.</summary>
public static class PublicUrl
{
    public static string For(HttpRequest request, IConfiguration configuration) =>
        configuration["Genie:Web:PublicUrl"] is { Length: > 0 } configured
            ? configured.TrimEnd('/')
            : $"{request.Scheme}://{request.Host}{request.PathBase}";
}
