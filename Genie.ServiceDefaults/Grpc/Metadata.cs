using System.Collections;

namespace Genie.ServiceDefaults.Grpc;

/// <summary>
/// Custom call metadata (headers or trailers). Keys are lower-case; a key ending in "-bin" carries
/// bytes, sent base64-encoded on the wire.
/// </summary>
public sealed class Metadata : IEnumerable<Metadata.Entry>
{
    private readonly List<Entry> _entries = [];

    public sealed record Entry(string Key, string? Value, byte[]? Bytes)
    {
        public bool IsBinary => Key.EndsWith("-bin", StringComparison.Ordinal);
    }

    public int Count => _entries.Count;

    public void Add(string key, string value)
    {
        key = NormalizeKey(key);
        if (key.EndsWith("-bin", StringComparison.Ordinal))
            throw new ArgumentException($"Metadata key '{key}' is binary; add bytes instead.", nameof(key));
        foreach (var c in value)
        {
            if (c < 0x20 || c > 0x7E)
                throw new ArgumentException($"Metadata value for '{key}' must be printable ASCII.", nameof(value));
        }
        _entries.Add(new Entry(key, value, null));
    }

    public void Add(string key, byte[] bytes)
    {
        key = NormalizeKey(key);
        if (!key.EndsWith("-bin", StringComparison.Ordinal))
            throw new ArgumentException($"Binary metadata key '{key}' must end in -bin.", nameof(key));
        _entries.Add(new Entry(key, null, bytes));
    }

    public string? GetValue(string key)
    {
        key = key.ToLowerInvariant();
        return _entries.FirstOrDefault(e => e.Key == key)?.Value;
    }

    public byte[]? GetBytes(string key)
    {
        key = key.ToLowerInvariant();
        return _entries.FirstOrDefault(e => e.Key == key)?.Bytes;
    }

    public IEnumerator<Entry> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Header names gRPC reserves for itself or HTTP/2 uses; never user metadata.</summary>
    internal static bool IsReserved(string key) =>
        key.StartsWith("grpc-", StringComparison.Ordinal) || key.StartsWith(':') ||
        key is "content-type" or "te" or "user-agent" or "host" or "content-length" or "accept-encoding";

    internal void AddWire(string key, string value)
    {
        if (key.EndsWith("-bin", StringComparison.Ordinal))
        {
            foreach (var part in value.Split(','))
                _entries.Add(new Entry(key, null, DecodeBase64(part.Trim())));
        }
        else
        {
            _entries.Add(new Entry(key, value, null));
        }
    }

    internal static string EncodeBinary(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    private static byte[] DecodeBase64(string value)
    {
        var padded = value.PadRight(value.Length + (4 - value.Length % 4) % 4, '=');
        try
        {
            return Convert.FromBase64String(padded);
        }
        catch (FormatException)
        {
            return [];
        }
    }

    private static string NormalizeKey(string key)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        key = key.ToLowerInvariant();
        foreach (var c in key)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '-' or '.'))
                throw new ArgumentException($"Metadata key '{key}' has a character outside 0-9 a-z _ - .", nameof(key));
        }
        if (IsReserved(key))
            throw new ArgumentException($"Metadata key '{key}' is reserved.", nameof(key));
        return key;
    }
}
