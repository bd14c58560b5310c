namespace Genie.Web.Tests.Infrastructure;

public static class UriExtensions
{
    /// <summary>Path and query of a Location header, whether absolute or relative.</summary>
    public static string PathAndQuery(this Uri location) => location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString;
}
