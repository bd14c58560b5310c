namespace Genie.Web.Pages.Shared;

/// <summary>Previous/next links that keep the current filters.</summary>
public sealed record PagerModel(int Page, int PageCount, string Path, IReadOnlyDictionary<string, string?> Query)
{
    public string Url(int page)
    {
        var query = Query.Where(kv => !string.IsNullOrEmpty(kv.Value))
            .Select(kv => $"{Uri.EscapeDataString(kv.Key)}={Uri.EscapeDataString(kv.Value!)}")
            .Append($"p={page}");
        return Path + "?" + string.Join("&", query);
    }
}
