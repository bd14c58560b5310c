namespace Genie.Testing;

/// <summary>Configuration for hosts that tests start, built in layers.</summary>
public static class TestSettings
{
    /// <summary>One dictionary of all <paramref name="layers"/>: where two set a key, the later one wins; null layers are skipped.</summary>
    public static Dictionary<string, string?> Merge(params IEnumerable<KeyValuePair<string, string?>>?[] layers)
    {
        var merged = new Dictionary<string, string?>();
        foreach (var layer in layers)
        {
            foreach (var (key, value) in layer ?? [])
                merged[key] = value;
        }
        return merged;
    }
}
