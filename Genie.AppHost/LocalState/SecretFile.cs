using System.Security.Cryptography;

namespace Genie.AppHost.LocalState;

/// <summary>Small values generated on the first run and kept under <c>.genie/</c>, readable by the owner only.</summary>
internal static class SecretFile
{
    /// <summary>Returns the stored value, or creates it with <paramref name="generate"/>; <c>Created</c> tells which.</summary>
    public static (string Value, bool Created) ReadOrCreate(string path, Func<string> generate)
    {
        if (File.Exists(path))
        {
            var stored = File.ReadAllText(path).Trim();
            if (stored.Length > 0)
                return (stored, false);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var value = generate();
        File.WriteAllText(path, value + "\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return (value, true);
    }

    public static string RandomBase64(int bytes) => Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes));

    /// <summary>A password that is easy to copy: letters and digits without look-alikes.</summary>
    public static string RandomPassword(int length)
    {
        const string alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        return RandomNumberGenerator.GetString(alphabet, length);
    }
}
